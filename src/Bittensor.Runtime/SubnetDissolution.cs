using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>
/// Dissolving a subnet at the subnet cap (subtensor's <c>get_network_to_prune</c>, <c>do_dissolve_network</c> and
/// <c>destroy_alpha_in_out_stakes</c>): the pool's TAO is paid to the alpha stakers pro rata by alpha, the protocol's
/// part (pool alpha and protocol-owned alpha) is recycled, and every alpha entry, registration and the roster go.
/// </summary>
public static class SubnetDissolution
{
    /// <summary>
    /// The subnet to dissolve: past its network immunity, with the lowest moving price, ties to the earlier registration
    /// (then the lower netuid); null when none may go. Also never one whose epoch is in flight (its outcome would land on
    /// the new subnet) nor one stored before its stakers were indexed (they could not all be paid).
    /// </summary>
    public static async ValueTask<ushort?> CandidateAsync(ChainPlan plan)
    {
        ulong block = plan.Chain.Block;
        SubnetEconomy? best = null;
        foreach (var e in plan.Chain.Ordered)
        {
            if (block < e.RegisteredAt + plan.Rules.NetworkImmunityPeriod || e.InFlight is not null) continue;
            if (best is not null && !(e.MovingPrice < best.MovingPrice || (e.MovingPrice == best.MovingPrice && e.RegisteredAt < best.RegisteredAt))) continue;
            if (await plan.SubnetAsync(e.Netuid) is not { StakersIndexed: true }) continue;
            best = e;
        }
        return best?.Netuid;
    }

    /// <summary>
    /// Dissolves <paramref name="netuid"/>: each (hotkey, coldkey) with alpha gets <c>floor(pot·alpha/total)</c> TAO to its
    /// coldkey, where pot is the pool's TAO and total is every staked alpha plus the pool's and the protocol's alpha; the
    /// remainder goes one rao each by largest remainder (ties in hotkey, coldkey order, the protocol last); the protocol's
    /// share is recycled. Returns the TAO paid to stakers.
    /// </summary>
    public static async ValueTask<ulong> DissolveAsync(ChainPlan plan, ushort netuid)
    {
        var e = plan.Economy(netuid) ?? throw new InvalidOperationException($"subnet {netuid} does not exist");
        var roster = await plan.SubnetAsync(netuid) ?? throw new InvalidOperationException($"subnet {netuid} has no roster");
        string prefix = $"{netuid}|";
        var hotkeys = roster.StakedHotkeys.Keys.Order(StringComparer.Ordinal).ToList();
        await plan.PrefetchHotkeysAsync(hotkeys);
        var stakers = new List<(string Hotkey, string Coldkey, ulong Alpha)>();
        foreach (string hotkey in hotkeys)
        {
            var h = await plan.HotkeyAsync(hotkey);
            foreach (var (key, alpha) in h.Stakes.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                stakers.Add((hotkey, key[prefix.Length..], alpha));
        }
        UInt128 protocol = (UInt128)e.PoolAlpha + e.ProtocolAlpha + e.RootClaimableAlpha, total = protocol; // unclaimed root dividends count as the protocol's
        foreach (var s in stakers) total += s.Alpha;
        ulong pot = e.PoolTao;
        var shares = new ulong[stakers.Count + 1]; // the protocol's last
        var remainders = new UInt128[stakers.Count + 1];
        UInt128 given = 0;
        if (pot > 0 && total > 0)
        {
            for (int k = 0; k <= stakers.Count; k++)
            {
                UInt128 product = (UInt128)pot * (k < stakers.Count ? stakers[k].Alpha : protocol);
                shares[k] = (ulong)(product / total);
                remainders[k] = product % total;
                given += shares[k];
            }
            // Largest remainder: the rao left go one each to the largest remainders (a stable sort, as subtensor's sort_by).
            var order = Enumerable.Range(0, shares.Length).OrderByDescending(k => remainders[k]).ToList();
            for (int i = 0; i < order.Count && given < pot; i++, given++) shares[order[i]]++;
        }

        ulong paid = 0;
        var payouts = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        for (int k = 0; k < stakers.Count; k++)
        {
            paid += shares[k];
            if (shares[k] > 0) payouts[stakers[k].Coldkey] = payouts.GetValueOrDefault(stakers[k].Coldkey) + shares[k];
        }
        foreach (var (coldkey, tao) in payouts) await plan.AccountAsync(coldkey, new AccountChange((long)tao));

        var registered = roster.Neurons.Select(n => n.Hotkey).ToHashSet(StringComparer.Ordinal);
        foreach (var group in stakers.GroupBy(s => s.Hotkey, StringComparer.Ordinal))
        {
            await plan.HotkeyAsync(group.Key, new HotkeyChange
            {
                Stakes = [.. group.Select(s => new StakeDelta(netuid, s.Coldkey, -(long)s.Alpha))],
                Deregistered = registered.Remove(group.Key) ? netuid : null,
            });
        }
        foreach (string hotkey in registered.Order(StringComparer.Ordinal))
            await plan.HotkeyAsync(hotkey, new HotkeyChange { Deregistered = netuid });

        plan.Chain.Recycled += pot - paid;
        plan.Chain.Subnets.Remove(netuid);
        await plan.SubnetAsync(netuid, new DissolveSubnet());
        plan.Emit(new ChainEvent { Kind = EventKinds.NetworkRemoved, Coldkey = e.OwnerColdkey, Netuid = netuid, Tao = pot });
        return paid;
    }
}
