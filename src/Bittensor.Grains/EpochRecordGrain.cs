namespace Bittensor.Grains;

/// <summary>One recorded epoch (inputs and outputs), kept in its own grain so subnet state stays small.</summary>
public sealed class EpochRecordGrain([PersistentState("epoch", StorageNames.Chain)] IPersistentState<EpochRecordState> state)
    : Grain, IEpochRecordGrain, IEpochRecordLedger
{
    public Task<EpochRecord?> GetAsync() => Task.FromResult(state.State.Record);

    public async Task SetAsync(EpochRecord record)
    {
        if (state.State.Record == record) return;
        state.State.Record = record;
        await state.WriteStateAsync();
    }

    public async Task ClearAsync()
    {
        if (state.State.Record is null) return;
        await state.ClearStateAsync();
        state.State.Record = null;
    }
}
