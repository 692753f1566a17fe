using Bittensor.Grains.Storage;

namespace Bittensor.Grains;

/// <summary>An account. An unknown address is a valid, empty account with nonce 0.</summary>
public sealed class AccountGrain : LedgerGrain<AccountState, AccountChange>, IAccountGrain, IAccountLedger
{
    protected override string StateName => "account";

    protected override void Apply(AccountState state, AccountChange change) => KeyLedger.Apply(state, change);

    public Task<AccountView> GetAsync() => Task.FromResult(new AccountView(this.GetPrimaryKeyString(), S.Balance, S.Nonce, [.. S.Hotkeys]));
}
