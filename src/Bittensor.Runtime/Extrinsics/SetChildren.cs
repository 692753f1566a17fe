using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The coldkey owning <see cref="Hotkey"/> lends parts of its stake weight on <see cref="Netuid"/> to at most five child
    /// hotkeys (subtensor's <c>set_children</c> / <c>do_schedule_children</c>), replacing its children; an empty list
    /// revokes them. Proportions are parts of u64::MAX. On a started subnet the set waits
    /// <see cref="ChainRules.PendingChildKeyCooldown"/> blocks, before start_call it applies at once; one call per
    /// <see cref="ChainRules.SetChildrenRateLimit"/> blocks per hotkey and subnet.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetChildren")]
    public sealed record SetChildren : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Netuid { get; init; }
        [Id(2)] public required ImmutableArray<ChildLink> Children { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_children</c>: see <see cref="SetChildren"/>.</summary>
    public sealed class SetChildrenCall : Extrinsic<SetChildren>
    {
        /// <summary>Most pairs a payload may carry (the chain's rule, at most five distinct children, is checked when planned).</summary>
        private const int MaxPairs = 64;

        public override string Name => "set_children";

        /// <summary>subtensor's <c>set_children</c> dispatch weight (dispatches.rs at 14bc6f9f): 119 µs, 6 reads, 31 writes, <c>Pays::Yes</c>.</summary>
        public override ulong Weight => Fees.Weight(119_000_000, 6, 31);

        public override SetChildren Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), Netuid = a.U16("netuid"),
            Children = [.. a.ProportionPairs("children", MaxPairs).Select(c => new ChildLink(c.Proportion, c.Hotkey))],
        };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetChildren c)
        {
            if (!ValidAddress(c.Hotkey) || c.Children.Any(x => !ValidAddress(x.Hotkey))) return Fail(plan, Codes.InvalidAddress, "the hotkey and every child must be valid addresses");
            ulong block = plan.Chain.Block, limit = plan.Rules.SetChildrenRateLimit;
            var e = plan.Economy(c.Netuid);
            if (e is null || await plan.SubnetAsync(c.Netuid) is not { } s) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {c.Netuid}");
            // subtensor checks the rate limit first: TransactionType::SetChildren, the first call (last block 0) passes.
            ulong last = s.ChildrenSetAt.GetValueOrDefault(c.Hotkey);
            if (last != 0 && block - last < limit)
                return Fail(plan, Codes.TxRateLimitExceeded, $"{c.Hotkey} set its children on subnet {c.Netuid} at block {last}; it may again from block {last + limit}", last + limit);
            var hotkey = await plan.HotkeyAsync(c.Hotkey);
            if (hotkey.Owner != c.Signer) return Fail(plan, Codes.NotOwner, "only the hotkey's coldkey may set its children");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var child in c.Children)
                if (!seen.Add(child.Hotkey)) return Fail(plan, Codes.DuplicateChild, $"{child.Hotkey} is named twice");
            if (ChildKeys.Problem(ChildKeys.Effective(s, block), c.Hotkey, c.Children) is { } problem) return Fail(plan, problem.Code, problem.Message);
            if (c.Children.Length > 0 && c.Hotkey != e.OwnerHotkey)
            {
                ulong stake = TotalStake(plan, hotkey), threshold = e.Hyper.StakeThreshold;
                if (stake < threshold)
                    return Fail(plan, Codes.NotEnoughStakeToSetChildkeys, $"{c.Hotkey} has {stake} rao of stake (alpha valued at each subnet's price); a parent needs at least {threshold}");
            }
            ulong? cooldown = e.Started ? block + plan.Rules.PendingChildKeyCooldown : null;
            await plan.SubnetAsync(c.Netuid, new ScheduleChildren(c.Hotkey, c.Children, block, cooldown));
            plan.Emit(new ChainEvent { Kind = cooldown is null ? EventKinds.SetChildren : EventKinds.SetChildrenScheduled, Coldkey = c.Signer, Hotkey = c.Hotkey, Netuid = c.Netuid, Number = cooldown ?? block, Value = string.Join(",", c.Children.Select(ch => ch.Hotkey)) });
            return Done(plan, netuid: c.Netuid, amount: cooldown ?? block);
        }

        /// <summary>The hotkey's stake on every subnet, alpha valued at each pool's price, in rao (subtensor's <c>get_total_stake_for_hotkey</c>).</summary>
        private static ulong TotalStake(ChainPlan plan, HotkeyState hotkey)
        {
            double total = 0;
            foreach (var (key, alpha) in hotkey.Stakes)
                if (ushort.TryParse(key.AsSpan(0, key.IndexOf('|')), out ushort netuid))
                {
                    if (netuid == RootNetwork.Netuid) total += alpha; // TAO on root, price 1
                    else if (plan.Economy(netuid) is { } e) total += alpha * PoolMath.Price(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight);
                }
            return (ulong)Math.Min(total, ulong.MaxValue);
        }
    }
}
