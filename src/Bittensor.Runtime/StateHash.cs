using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bittensor.Runtime;

/// <summary>
/// A SHA-256 over what the chain holds, in a canonical order, so that two chains that went through the same blocks and
/// calls can be compared in one string (the live network and a simulation): the clock, supply and every subnet's economy,
/// its pending timelocked commits, every roster (each neuron's keys, stake, outputs, weight and bond rows, unrevealed commits) and its epoch summaries,
/// every account's balance and hotkeys, every hotkey's owner, registrations, stakes, take and axons. Bookkeeping that
/// says how the state was stored rather than what it is (sequence numbers, the journal, index flags, receipts, the
/// genesis salt) is left out.
/// </summary>
public static class StateHash
{
    public static string Compute(ChainState chain, IEnumerable<SubnetState> rosters,
        IEnumerable<KeyValuePair<string, AccountState>> accounts, IEnumerable<KeyValuePair<string, HotkeyState>> hotkeys)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var text = new StringBuilder();
        void Line(params object?[] values)
        {
            text.AppendJoin('|', values.Select(v => v switch
            {
                null => "",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                System.Collections.IEnumerable list and not string => string.Join(',', list.Cast<object>().Select(x => Convert.ToString(x, CultureInfo.InvariantCulture))),
                _ => v.ToString(),
            }));
            text.Append('\n');
        }

        Line("chain", chain.Block, chain.TotalIssuance, chain.GenesisReserve, chain.Recycled, chain.FreeTotal, chain.LastLockCost, chain.LastLockBlock, chain.EpochsRun);
        foreach (var e in chain.OrderedList())
        {
            Line("economy", e.Netuid, e.OwnerColdkey, e.OwnerHotkey, e.RegisteredAt, e.Hyper, e.Lock, e.PoolTao, e.PoolAlpha, e.MovingPrice,
                e.AlphaIssued, e.AlphaStaked, e.ProtocolAlpha, e.AlphaBurned, e.PendingServer, e.PendingValidator, e.PendingOwnerCut, e.Burn,
                e.LastEpochBlock, e.PendingEpochAt, e.BlocksSinceLastStep, e.EpochIndex, e.N, e.InFlight,
                string.Join(',', e.HyperparameterSetAt.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
            Line("lifecycle", e.AwaitingStartCall, e.StartCallBlock, e.OwnerHotkeySetAt, e.Identity);
            if (e.StoredQuoteWeight != 0 || e.PendingRootAlpha != 0 || e.RootClaimableAlpha != 0 || e.RootAlphaRecycled != 0)
                Line("pool-root", e.StoredQuoteWeight, e.PendingRootAlpha, e.RootClaimableAlpha, e.RootAlphaRecycled);
            if (!e.Timelocked.IsEmpty)
                Line("timelocked", e.Timelocked.Select(c => $"{c.Who}@{c.Epoch}/{c.Block}/{c.RevealRound}/{Convert.ToHexStringLower(SHA256.HashData(c.Commit))}"));
        }
        if (chain.RootStake != 0) Line("root", chain.RootStake);
        foreach (var s in rosters.Where(s => s.Netuid == RootNetwork.Netuid && !s.Exists && (s.Neurons.Count > 0 || !s.StakedHotkeys.IsEmpty)))
        {
            for (int uid = 0; uid < s.Neurons.Count; uid++) Line("root-member", uid, s.Neurons[uid].Hotkey, s.Neurons[uid].Coldkey, s.Neurons[uid].BlockAtRegistration, s.Neurons[uid].Stake);
            foreach (var (hotkey, tao) in s.StakedHotkeys.OrderBy(h => h.Key, StringComparer.Ordinal)) Line("root-stake", hotkey, tao);
        }
        foreach (var s in rosters.Where(s => s.Exists).OrderBy(s => s.Netuid))
        {
            Line("subnet", s.Netuid, s.OwnerColdkey, s.OwnerHotkey, s.RegisteredAt, s.Hyper, s.EpochIndex, s.LastMechanismStepBlock);
            for (int uid = 0; uid < s.Neurons.Count; uid++)
            {
                var n = s.Neurons[uid];
                Line("neuron", uid, n.Hotkey, n.Coldkey, n.BlockAtRegistration, n.LastUpdate, n.ValidatorPermit, n.StakeWeight, n.Consensus,
                    n.Incentive, n.Dividends, n.ValidatorTrust, n.Emission, n.Active, n.Stake, n.Axon);
                Line("weights", n.WeightColumns, n.WeightValues);
                Line("bonds", n.BondColumns, n.BondValues);
                Line("commits", n.Commits.Select(c => $"{c.Hash}@{c.Epoch}/{c.Block}"));
            }
            foreach (var e in s.Epochs) Line("epoch", e);
            foreach (var (parent, children) in s.Children.OrderBy(c => c.Key, StringComparer.Ordinal)) Line("children", parent, children.Select(c => $"{c.Proportion}:{c.Hotkey}"));
            foreach (var (parent, p) in s.PendingChildren.OrderBy(c => c.Key, StringComparer.Ordinal)) Line("pending", parent, p.CooldownBlock, p.Children.Select(c => $"{c.Proportion}:{c.Hotkey}"));
            foreach (var (hotkey, take) in s.ChildkeyTakes.OrderBy(c => c.Key, StringComparer.Ordinal)) Line("childkey-take", hotkey, take);
        }
        foreach (var (address, a) in accounts.Where(a => a.Value.Balance > 0 || a.Value.Hotkeys.Count > 0).OrderBy(a => a.Key, StringComparer.Ordinal))
            Line("account", address, a.Balance, a.Hotkeys);
        foreach (var (address, a) in accounts.Where(a => a.Value.RootClaimType != RootClaimType.Swap || a.Value.RootHotkeys.Count > 0).OrderBy(a => a.Key, StringComparer.Ordinal))
            Line("account-root", address, a.RootClaimType, a.RootHotkeys);
        foreach (var (address, h) in hotkeys.Where(h => h.Value.Owner is not null || h.Value.Stakes.Count > 0).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            Line("hotkey", address, h.Owner, h.Take, h.TakeChangedAt,
                string.Join(',', h.Registrations.OrderBy(r => r.Key).Select(r => $"{r.Key}:{r.Value}")),
                string.Join(',', h.Stakes.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}")),
                string.Join(',', h.Axons.OrderBy(x => x.Key).Select(x => $"{x.Key}:{x.Value}")));
            if (h.RootClaimable.Count > 0 || h.RootClaimed.Count > 0)
                Line("hotkey-root", address,
                    string.Join(',', h.RootClaimable.OrderBy(x => x.Key).Select(x => $"{x.Key}:{x.Value}@{h.RootClaimableGeneration.GetValueOrDefault(x.Key)}")),
                    string.Join(',', h.RootClaimed.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}")));
        }
        return "0x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
