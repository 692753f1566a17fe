using System.Collections.Immutable;

namespace Bittensor.Grains;

public sealed partial class ChainGrain
{
    public async Task<AuditReport> AuditAsync()
    {
        await EnsureAppliedAsync();
        var hotkeyNames = St.Hotkeys.ToArray();
        var balances = await Task.WhenAll(St.Accounts.Select(a => GrainFactory.GetGrain<IAccountLedger>(a).GetStateAsync()));
        var hotkeys = await Task.WhenAll(hotkeyNames.Select(h => GrainFactory.GetGrain<IHotkeyLedger>(h).GetStateAsync()));
        var subnets = await Task.WhenAll(St.Subnets.Order().Select(n => GrainFactory.GetGrain<ISubnetLedger>(n).GetStateAsync()));

        ulong free = 0, pools = 0;
        foreach (var b in balances) free += b.Balance;
        foreach (var s in subnets) pools += s.PoolTao;
        ulong accounted = free + pools + St.GenesisReserve + St.Recycled;
        var tao = new TaoAudit
        {
            Issuance = St.TotalIssuance, Free = free, Pools = pools, Reserve = St.GenesisReserve,
            Recycled = St.Recycled, Accounted = accounted, Ok = accounted == St.TotalIssuance,
        };

        var audits = ImmutableArray.CreateBuilder<SubnetAudit>();
        foreach (var s in subnets)
        {
            string prefix = $"{s.Netuid}|";
            ulong onHotkeys = 0;
            bool mirrors = true;
            for (int i = 0; i < hotkeys.Length; i++)
            {
                ulong here = 0;
                foreach (var (key, alpha) in hotkeys[i].Stakes) if (key.StartsWith(prefix, StringComparison.Ordinal)) here += alpha;
                onHotkeys += here;
                if (here != s.HotkeyStake.GetValueOrDefault(hotkeyNames[i])) mirrors = false;
            }
            ulong pending = s.PendingServer + s.PendingValidator + s.PendingOwnerCut;
            bool balanced = s.AlphaIssued - s.AlphaBurned == s.PoolAlpha + s.AlphaStaked + pending + s.ProtocolAlpha;
            audits.Add(new SubnetAudit
            {
                Netuid = s.Netuid, Issued = s.AlphaIssued, Burned = s.AlphaBurned, Pool = s.PoolAlpha, Staked = s.AlphaStaked,
                Pending = pending, Protocol = s.ProtocolAlpha, StakedOnHotkeys = onHotkeys,
                Ok = balanced && mirrors && onHotkeys == s.AlphaStaked,
            });
        }
        var list = audits.ToImmutable();
        return new AuditReport(tao.Ok && list.All(a => a.Ok), tao, list, St.Block);
    }
}
