using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>
/// An operation or block being planned: it reads grain states once, keeps private copies, and records commands while
/// applying each one to its copy through the same ledger functions the grains use, so later checks in the same plan see
/// earlier effects. Nothing is written until the chain commits the plan as one batch.
/// </summary>
internal sealed class ChainPlan(IGrainFactory grains)
{
    private readonly Dictionary<string, AccountState> _accounts = [];
    private readonly Dictionary<string, HotkeyState> _hotkeys = [];
    private readonly Dictionary<ushort, SubnetState> _subnets = [];

    public List<GrainCommand> Commands { get; } = [];

    public List<Action<ChainState>> ChainChanges { get; } = [];

    public bool IsEmpty => Commands.Count == 0 && ChainChanges.Count == 0;

    public async Task<AccountState> AccountAsync(string address)
    {
        if (!_accounts.TryGetValue(address, out var s))
            _accounts[address] = s = await grains.GetGrain<IAccountLedger>(address).GetStateAsync();
        return s;
    }

    public async Task<HotkeyState> HotkeyAsync(string address)
    {
        if (!_hotkeys.TryGetValue(address, out var s))
            _hotkeys[address] = s = await grains.GetGrain<IHotkeyLedger>(address).GetStateAsync();
        return s;
    }

    public async Task<SubnetState?> SubnetAsync(ushort netuid)
    {
        if (!_subnets.TryGetValue(netuid, out var s))
            _subnets[netuid] = s = await grains.GetGrain<ISubnetLedger>(netuid).GetStateAsync();
        return s.Exists ? s : null;
    }

    public void Chain(Action<ChainState> change) => ChainChanges.Add(change);

    public async Task AccountAsync(string address, AccountChange change)
    {
        KeyLedger.Apply(await AccountAsync(address), change);
        Commands.Add(new AccountCommand(address, change));
        Chain(st => st.Accounts.Add(address));
    }

    public async Task HotkeyAsync(string address, HotkeyChange change)
    {
        KeyLedger.Apply(await HotkeyAsync(address), change);
        Commands.Add(new HotkeyCommand(address, change));
        Chain(st => st.Hotkeys.Add(address));
    }

    public async Task SubnetAsync(ushort netuid, SubnetCommand command)
    {
        if (!_subnets.TryGetValue(netuid, out var s))
            _subnets[netuid] = s = await grains.GetGrain<ISubnetLedger>(netuid).GetStateAsync();
        SubnetLedger.Apply(s, command);
        Commands.Add(new SubnetCommandFor(netuid, command));
    }

    public void Record(ushort netuid, EpochRecord record, ulong? forget) => Commands.Add(new EpochRecordCommand(netuid, record, forget));

    /// <summary>Credits <paramref name="alpha"/> staked by <paramref name="coldkey"/> on <paramref name="hotkey"/> (merged per hotkey later).</summary>
    public static void AddStake(Dictionary<string, List<StakeDelta>> credits, string hotkey, ushort netuid, string coldkey, ulong alpha)
    {
        if (alpha == 0) return;
        if (!credits.TryGetValue(hotkey, out var list)) credits[hotkey] = list = [];
        int i = list.FindIndex(d => d.Netuid == netuid && d.Coldkey == coldkey);
        if (i >= 0) list[i] = list[i] with { Alpha = list[i].Alpha + (long)alpha };
        else list.Add(new StakeDelta(netuid, coldkey, (long)alpha));
    }

    public static ImmutableArray<StakeDelta> Merge(List<StakeDelta> deltas) => [.. deltas];
}
