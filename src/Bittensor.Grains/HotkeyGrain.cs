using Bittensor.Grains.Storage;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>A hotkey: owner, registrations, stakes per (netuid, nominator), take, axons.</summary>
public sealed class HotkeyGrain(IOptions<ChainOptions> options) : VersionedLedgerGrain<HotkeyState, HotkeyChange, HotkeyView>(options), IHotkeyGrain, IHotkeyLedger
{
    protected override string StateName => "hotkey";

    protected override void Apply(HotkeyState state, HotkeyChange change) => KeyLedger.Apply(state, change);

    protected override HotkeyView View(HotkeyState state) => KeyLedger.View(this.GetPrimaryKeyString(), state);

    public Task<HotkeyView> GetAsync() => Task.FromResult(Current);

    public Task<Retained<HotkeyView>> GetAtAsync(ulong block) => Task.FromResult(At(block));
}
