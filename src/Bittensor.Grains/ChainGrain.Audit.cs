using System.Collections.Immutable;

namespace Bittensor.Grains;

public sealed partial class ChainGrain
{
    /// <summary>
    /// Conservation to the rao. The chain's running sums (Σ free balances, per-subnet alpha) must balance issuance; then a
    /// full scan through the sharded address index re-counts every account balance and every hotkey's stake and compares
    /// them with those sums and with each registered neuron's stake.
    /// </summary>
    public async Task<AuditReport> AuditAsync()
    {
        await SettleAllAsync();
        var st = _state;
        var accounts = await AddressesAsync(AddressKind.Account);
        var hotkeyNames = await AddressesAsync(AddressKind.Hotkey);
        ulong free = 0;
        foreach (var chunk in accounts.Chunk(512))
            foreach (var a in await Task.WhenAll(chunk.Select(a => GrainFactory.GetGrain<IAccountLedger>(a).GetStateAsync())))
                free += a.Balance;
        var hotkeys = new List<HotkeyState>(hotkeyNames.Count);
        foreach (var chunk in hotkeyNames.Chunk(512))
            hotkeys.AddRange(await Task.WhenAll(chunk.Select(h => GrainFactory.GetGrain<IHotkeyLedger>(h).GetStateAsync())));

        ulong pools = 0;
        foreach (var e in st.Subnets.Values) pools += e.PoolTao;
        ulong accounted = free + pools + st.RootStake + st.GenesisReserve + st.Recycled;
        ulong onRoot = 0;
        foreach (var h in hotkeys) onRoot += h.StakeIn(RootNetwork.Netuid);
        var rootRoster = await GrainFactory.GetGrain<ISubnetLedger>(RootNetwork.Netuid).GetStateAsync();
        bool rootMirrors = rootRoster.StakedHotkeys.Values.Aggregate(0UL, (a, b) => a + b) == onRoot
            && rootRoster.Neurons.All(n => n.Stake == rootRoster.StakedHotkeys.GetValueOrDefault(n.Hotkey));
        var tao = new TaoAudit
        {
            Issuance = st.TotalIssuance, Free = free, Pools = pools, Reserve = st.GenesisReserve,
            Recycled = st.Recycled, Accounted = accounted, FeesBurned = st.FeesBurned, Root = st.RootStake, RootOnHotkeys = onRoot,
            Ok = accounted == st.TotalIssuance && free == st.FreeTotal && onRoot == st.RootStake && rootMirrors,
        };

        var audits = ImmutableArray.CreateBuilder<SubnetAudit>();
        foreach (var e in st.Ordered)
        {
            var roster = await GrainFactory.GetGrain<ISubnetLedger>(e.Netuid).GetStateAsync();
            ulong onHotkeys = 0;
            var byHotkey = new Dictionary<string, ulong>(StringComparer.Ordinal);
            for (int i = 0; i < hotkeys.Count; i++)
            {
                ulong here = hotkeys[i].StakeIn(e.Netuid);
                onHotkeys += here;
                if (here > 0) byHotkey[hotkeyNames[i]] = here;
            }
            bool mirrors = roster.Neurons.All(n => n.Stake == byHotkey.GetValueOrDefault(n.Hotkey)) && roster.Neurons.Count == e.N;
            ulong pending = e.PendingTotal;
            bool balanced = e.AlphaIssued - e.AlphaBurned == e.PoolAlpha + e.AlphaStaked + pending + e.ProtocolAlpha + e.RootClaimableAlpha;
            audits.Add(new SubnetAudit
            {
                Netuid = e.Netuid, Issued = e.AlphaIssued, Burned = e.AlphaBurned, Pool = e.PoolAlpha, Staked = e.AlphaStaked,
                Pending = pending, Protocol = e.ProtocolAlpha, StakedOnHotkeys = onHotkeys, RootClaimable = e.RootClaimableAlpha,
                Ok = balanced && mirrors && onHotkeys == e.AlphaStaked,
            });
        }
        var list = audits.ToImmutable();
        return new AuditReport(tao.Ok && list.All(a => a.Ok), tao, list, st.Block);
    }

    /// <summary>The state hash over the chain's state, every roster (from the subnet grains, with their bonds), and every account and hotkey the address index lists.</summary>
    public async Task<string> StateHashAsync()
    {
        await SettleAllAsync();
        var st = _state;
        var accountNames = await AddressesAsync(AddressKind.Account);
        var hotkeyNames = await AddressesAsync(AddressKind.Hotkey);
        var accounts = new List<KeyValuePair<string, AccountState>>(accountNames.Count);
        foreach (var chunk in accountNames.Chunk(512))
            accounts.AddRange((await Task.WhenAll(chunk.Select(a => GrainFactory.GetGrain<IAccountLedger>(a).GetStateAsync()))).Select((a, k) => KeyValuePair.Create(chunk[k], a)));
        var hotkeys = new List<KeyValuePair<string, HotkeyState>>(hotkeyNames.Count);
        foreach (var chunk in hotkeyNames.Chunk(512))
            hotkeys.AddRange((await Task.WhenAll(chunk.Select(h => GrainFactory.GetGrain<IHotkeyLedger>(h).GetStateAsync()))).Select((h, k) => KeyValuePair.Create(chunk[k], h)));
        var rosters = await Task.WhenAll(st.Ordered.Select(e => e.Netuid).Prepend(RootNetwork.Netuid).Select(n => GrainFactory.GetGrain<ISubnetLedger>(n).GetStateAsync()));
        return StateHash.Compute(st, rosters, accounts, hotkeys);
    }

    private async Task<List<string>> AddressesAsync(AddressKind kind)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, IndexCommand.Shards)
            .Select(i => GrainFactory.GetGrain<IAddressIndex>(IAddressIndex.KeyOf(kind, i)).GetStateAsync()));
        return [.. shards.SelectMany(s => s.Addresses).Order(StringComparer.Ordinal)];
    }
}
