using Bittensor.Grains.Storage;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>An account. An unknown address is a valid, empty account with nonce 0.</summary>
public sealed class AccountGrain(IOptions<ChainOptions> options) : VersionedLedgerGrain<AccountState, AccountChange, AccountView>(options), IAccountGrain, IAccountLedger
{
    protected override string StateName => "account";

    protected override void Apply(AccountState state, AccountChange change) => KeyLedger.Apply(state, change);

    protected override AccountView View(AccountState state) =>
        new(this.GetPrimaryKeyString(), state.Balance, state.Nonce, [.. state.Hotkeys]) { RootClaimType = state.RootClaimType, RootHotkeys = [.. state.RootHotkeys] };

    public Task<AccountView> GetAsync() => Task.FromResult(Current);

    public Task<Retained<AccountView>> GetAtAsync(ulong block) => Task.FromResult(At(block));
}
