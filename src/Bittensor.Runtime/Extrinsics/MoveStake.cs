using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// Moves up to <see cref="AlphaAmount"/> of the signer's alpha from one hotkey and subnet to another hotkey and subnet,
    /// keeping the coldkey. Within a subnet it moves without the pool; across subnets it sells on the origin pool (paying
    /// the fee there) and buys on the destination pool (no second fee).
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.MoveStake")]
    public sealed record MoveStake : Operation
    {
        [Id(0)] public required string OriginHotkey { get; init; }
        [Id(1)] public required string DestinationHotkey { get; init; }
        [Id(2)] public required ushort OriginNetuid { get; init; }
        [Id(3)] public required ushort DestinationNetuid { get; init; }
        [Id(4)] public required ulong AlphaAmount { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>move_stake</c>: see <see cref="MoveStake"/>.</summary>
    public sealed class MoveStakeCall : Extrinsic<MoveStake>
    {
        public override string Name => "move_stake";

        /// <summary>subtensor's <c>weights.rs</c> <c>move_stake</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(216_061_000, 19, 7);

        public override MoveStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, OriginHotkey = a.Address("origin_hotkey"), DestinationHotkey = a.Address("destination_hotkey"),
            OriginNetuid = a.U16("origin_netuid"), DestinationNetuid = a.U16("destination_netuid"), AlphaAmount = a.U64("alpha_amount"),
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, MoveStake m) => PlanAsync(plan, new StakeTransition(
            EventKinds.StakeMoved, (m.OriginHotkey, m.Signer, m.OriginNetuid), (m.DestinationHotkey, m.Signer, m.DestinationNetuid), m.AlphaAmount));

        /// <summary>
        /// subtensor's <c>transition_stake_internal</c> and <c>validate_stake_transition</c>, shared by <c>move_stake</c>,
        /// <c>transfer_stake</c>, <c>swap_stake</c> and <c>swap_stake_limit</c>. The amount is first cut to the alpha the origin
        /// holds (as subtensor does), so asking for more moves everything rather than failing. Across subnets: the TAO the
        /// origin sell returns must exceed the minimum stake; if after the fee it falls below the minimum, it is left free on
        /// the destination coldkey instead of being restaked (as subtensor does). Within a subnet: the alpha's value at the
        /// current price must reach the minimum stake. The result's amount is the alpha credited at the destination.
        /// Root (netuid 0) does not exist here: subtensor drops the origin fee when the origin is root and trades root stake at
        /// price 1; none of that is reachable yet.
        /// </summary>
        internal static async ValueTask<OpResult> PlanAsync(ChainPlan plan, StakeTransition t)
        {
            var (from, to) = (t.From, t.To);
            if (from.Coldkey == to.Coldkey && from.Hotkey == to.Hotkey && from.Netuid == to.Netuid)
                return Fail(plan, Codes.SameNetuid, "the origin and the destination are the same stake (same coldkey, hotkey and subnet)");
            var origin = plan.Economy(from.Netuid);
            if (origin is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {from.Netuid}");
            var destination = plan.Economy(to.Netuid);
            if (destination is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {to.Netuid}");
            var originHotkey = await plan.HotkeyAsync(from.Hotkey);
            if (originHotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, $"the origin hotkey {from.Hotkey} is not associated with any coldkey");
            var destinationHotkey = await plan.HotkeyAsync(to.Hotkey);
            if (destinationHotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, $"the destination hotkey {to.Hotkey} is not associated with any coldkey");
            ulong alpha = Math.Min(t.Alpha, Staking.StakeOf(originHotkey, from.Netuid, from.Coldkey));
            bool crossSubnet = from.Netuid != to.Netuid;
            ulong move = alpha;
            ulong tao = 0, bought = 0;
            if (crossSubnet)
            {
                tao = PoolMath.TaoOut(origin.PoolTao, origin.PoolAlpha, alpha, quoteWeight: origin.QuoteWeight);
                if (tao <= Tao.MinStake)
                    return Fail(plan, Codes.AmountTooLow, $"moving {alpha} rao of alpha (all the origin holds, at most) returns {tao} rao of TAO; it must exceed the minimum stake {Tao.MinStake} rao");
                if (t.LimitPrice is ulong limit)
                {
                    move = PoolMath.Largest(alpha, a => RatioAfter(origin, destination, a) >= limit);
                    if (move < alpha && t.AllowPartial != true)
                        return Fail(plan, Codes.SlippageTooHigh, $"the move would bring the origin/destination price ratio to {RatioAfter(origin, destination, alpha)} rao, below the limit {limit}");
                    if (move == 0)
                        return Fail(plan, Codes.SlippageTooHigh, $"the origin/destination price ratio is {RatioAfter(origin, destination, 0)} rao; no move keeps it at or above the limit {limit}");
                    tao = PoolMath.TaoOut(origin.PoolTao, origin.PoolAlpha, move, quoteWeight: origin.QuoteWeight);
                }
            }
            if (t.CheckTransfer && !(origin.Hyper.TransferAllowed && destination.Hyper.TransferAllowed))
                return Fail(plan, Codes.TransferDisallowed, $"the owner of subnet {(origin.Hyper.TransferAllowed ? to.Netuid : from.Netuid)} does not allow stake transfers (transfer_allowed)");
            if (crossSubnet)
            {
                // Subtensor's move charges the fee once, on the origin sell, and buys at the destination without one.
                bought = tao >= Tao.MinStake ? PoolMath.AlphaOut(destination.PoolTao, destination.PoolAlpha, tao, feeRate: 0, quoteWeight: destination.QuoteWeight) : 0;
                if (tao >= Tao.MinStake && bought == 0) return Fail(plan, Codes.AmountTooLow, $"{tao} rao of TAO buys no alpha on subnet {to.Netuid}");
            }
            else
            {
                ulong value = (ulong)((UInt128)alpha * origin.PoolTao / Math.Max(origin.PoolAlpha, 1UL));
                if (value < Tao.MinStake)
                    return Fail(plan, Codes.AmountTooLow, $"{alpha} rao of alpha is worth {value} rao of TAO at the current price, below the minimum stake {Tao.MinStake} rao");
                bought = alpha;
            }
            if (bought > 0 && !Staking.RoomForNominator(plan, destinationHotkey, to.Netuid, to.Coldkey))
                return Fail(plan, Codes.TooManyNominators, Staking.TooManyNominatorsMessage(plan, to.Netuid));

            if (!crossSubnet)
                await Staking.ShiftAsync(plan, from.Netuid, (from.Hotkey, from.Coldkey), (to.Hotkey, to.Coldkey), alpha);
            else
            {
                await Staking.SellAsync(plan, origin, from.Hotkey, from.Coldkey, move, tao);
                if (bought > 0) await Staking.BuyAsync(plan, destination, to.Hotkey, to.Coldkey, tao, bought);
                else await plan.AccountAsync(to.Coldkey, new AccountChange((long)tao));
            }
            plan.Emit(new ChainEvent
            {
                Kind = t.Event, Coldkey = from.Coldkey, Hotkey = from.Hotkey, Netuid = from.Netuid, Alpha = crossSubnet ? move : alpha,
                DestColdkey = to.Coldkey == from.Coldkey ? null : to.Coldkey, DestHotkey = to.Hotkey, DestNetuid = to.Netuid, DestAlpha = bought,
                Tao = crossSubnet ? tao : null,
            });
            return Done(plan, netuid: to.Netuid, amount: bought);
        }

        /// <summary>Origin price over destination price, in rao (10^9 = 1), after moving <paramref name="alpha"/> across: the ratio <c>swap_stake_limit</c>'s limit bounds.</summary>
        private static ulong RatioAfter(SubnetEconomy origin, SubnetEconomy destination, ulong alpha)
        {
            ulong tao = PoolMath.TaoOut(origin.PoolTao, origin.PoolAlpha, alpha, quoteWeight: origin.QuoteWeight);
            ulong originPrice = PoolMath.PriceRao(origin.PoolTao - tao, origin.PoolAlpha + alpha, quoteWeight: origin.QuoteWeight);
            ulong destinationPrice = PoolMath.PriceAfterBuy(destination.PoolTao, destination.PoolAlpha, tao, feeRate: 0, quoteWeight: destination.QuoteWeight);
            return destinationPrice == 0 ? ulong.MaxValue : Saturating.ToU64((UInt128)originPrice * Tao.Rao / destinationPrice);
        }
    }

    /// <summary>One stake movement: whose alpha, from where to where, how much, and its price guard.</summary>
    internal sealed record StakeTransition(
        string Event, (string Hotkey, string Coldkey, ushort Netuid) From, (string Hotkey, string Coldkey, ushort Netuid) To, ulong Alpha,
        ulong? LimitPrice = null, bool? AllowPartial = null, bool CheckTransfer = false);
}
