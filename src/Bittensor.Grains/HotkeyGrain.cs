using Bittensor.Grains.Storage;

namespace Bittensor.Grains;

/// <summary>A hotkey: owner, registrations, stakes per (netuid, nominator), take, axons.</summary>
public sealed class HotkeyGrain : LedgerGrain<HotkeyState, HotkeyChange>, IHotkeyGrain, IHotkeyLedger
{
    protected override string StateName => "hotkey";

    protected override void Apply(HotkeyState state, HotkeyChange change) => KeyLedger.Apply(state, change);

    public Task<HotkeyView> GetAsync() => Task.FromResult(KeyLedger.View(this.GetPrimaryKeyString(), S));
}
