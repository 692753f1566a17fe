using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>An account. An unknown address is a valid, empty account with nonce 0.</summary>
public sealed class AccountGrain([PersistentState("account", StorageNames.Chain)] IPersistentState<AccountState> state)
    : Grain, IAccountGrain, IAccountLedger
{
    public Task<AccountView> GetAsync() =>
        Task.FromResult(new AccountView(this.GetPrimaryKeyString(), state.State.Balance, state.State.Nonce, [.. state.State.Hotkeys]));

    public Task<AccountState> GetStateAsync() => Task.FromResult(state.State);

    public async Task ApplyAsync(long seq, ImmutableArray<AccountChange> changes)
    {
        if (seq <= state.State.LastSeq) return;
        foreach (var c in changes) KeyLedger.Apply(state.State, c);
        state.State.LastSeq = seq;
        await GrainWrites.WriteOrReloadAsync(state);
    }
}
