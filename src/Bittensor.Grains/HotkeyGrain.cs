using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>A hotkey: owner, registrations, stakes per (netuid, nominator), take, axons.</summary>
public sealed class HotkeyGrain([PersistentState("hotkey", StorageNames.Chain)] IPersistentState<HotkeyState> state)
    : Grain, IHotkeyGrain, IHotkeyLedger
{
    public Task<HotkeyView> GetAsync() => Task.FromResult(KeyLedger.View(this.GetPrimaryKeyString(), state.State));

    public Task<HotkeyState> GetStateAsync() => Task.FromResult(state.State);

    public async Task ApplyAsync(long seq, ImmutableArray<HotkeyChange> changes)
    {
        if (seq <= state.State.LastSeq) return;
        foreach (var c in changes) KeyLedger.Apply(state.State, c);
        state.State.LastSeq = seq;
        await GrainWrites.WriteOrReloadAsync(state);
    }
}
