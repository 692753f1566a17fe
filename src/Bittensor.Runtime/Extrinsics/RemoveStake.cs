using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Unstakes <see cref="Amount"/> rao of alpha from a hotkey back to the signer's free TAO (sells alpha to the pool; on root, netuid 0, 1:1).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.RemoveStake")]
    public sealed record RemoveStake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Netuid { get; init; }
        [Id(2)] public required ulong Amount { get; init; }

        /// <summary>Optional lowest price (rao of TAO per 1 alpha) the sell may reach.</summary>
        [Id(3)] public ulong? LimitPrice { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>remove_stake</c>: see <see cref="RemoveStake"/>.</summary>
    public sealed class RemoveStakeCall : Extrinsic<RemoveStake>
    {
        public override string Name => "remove_stake";

        /// <summary>subtensor's <c>weights.rs</c> <c>remove_stake</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(569_198_000, 28, 13);

        public override RemoveStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), Netuid = a.U16("netuid"), Amount = a.U64("amount"), LimitPrice = a.OptionalU64("limit_price"),
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, RemoveStake r) =>
            PlanAsync(plan, r.Signer, r.Hotkey, r.Netuid, r.Amount, r.LimitPrice, allowPartial: false);

        /// <summary>
        /// <c>remove_stake</c> and <c>remove_stake_limit</c>: with a limit price, the sell may put in at most what keeps the price
        /// at or above it (<c>get_max_amount_remove</c>); a larger amount is refused, or with <paramref name="allowPartial"/> cut to it.
        /// </summary>
        internal static async ValueTask<OpResult> PlanAsync(ChainPlan plan, string signer, string hotkeyAddress, ushort netuid, ulong amount, ulong? limitPrice, bool allowPartial)
        {
            var e = plan.Economy(netuid);
            if (e is null && netuid != RootNetwork.Netuid) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {netuid}");
            if (amount == 0) return Fail(plan, Codes.InvalidAmount, "amount must be at least 1 rao of alpha");
            var hotkey = await plan.HotkeyAsync(hotkeyAddress);
            ulong staked = Staking.StakeOf(hotkey, netuid, signer);
            if (staked < amount) return Fail(plan, Codes.NotEnoughStake, $"the signer has {staked} rao of alpha staked on this hotkey in subnet {netuid}");
            ulong tao = e is null ? amount : PoolMath.TaoOut(e.PoolTao, e.PoolAlpha, amount, quoteWeight: e.QuoteWeight); // root: 1:1, no fee
            if (tao < Tao.MinStake && amount != staked)
                return Fail(plan, Codes.AmountTooLow, $"unstaking returns {tao} rao, below the minimum {Tao.MinStake} rao (unstake everything instead)");
            if (limitPrice is ulong limit && (e is null ? RootNetwork.MaxRemove(limit, amount) : PoolMath.MaxSell(e.PoolTao, e.PoolAlpha, limit, amount, quoteWeight: e.QuoteWeight)) is var max && max < amount)
            {
                ulong after = e is null ? RootNetwork.Price : PoolMath.PriceAfterSell(e.PoolTao, e.PoolAlpha, amount, quoteWeight: e.QuoteWeight);
                if (!allowPartial)
                    return Fail(plan, Codes.SlippageTooHigh, $"the sell would move the price to {after} rao per alpha, below the limit {limit}");
                if (max == 0)
                    return Fail(plan, Codes.SlippageTooHigh, $"the price is {(e is null ? RootNetwork.Price : PoolMath.PriceRao(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight))} rao per alpha; no sell keeps it at or above the limit {limit}");
                amount = max;
                tao = PoolMath.TaoOut(e!.PoolTao, e.PoolAlpha, amount, quoteWeight: e.QuoteWeight);
            }
            if (e is null) await RootNetwork.StakeAsync(plan, hotkeyAddress, signer, -(long)amount);
            else await Staking.SellAsync(plan, e, hotkeyAddress, signer, amount, tao);
            await plan.AccountAsync(signer, new AccountChange((long)tao));
            plan.Emit(new ChainEvent { Kind = EventKinds.StakeRemoved, Coldkey = signer, Hotkey = hotkeyAddress, Netuid = netuid, Alpha = amount, Tao = tao });
            return Done(plan, netuid: netuid, amount: tao);
        }
    }
}
