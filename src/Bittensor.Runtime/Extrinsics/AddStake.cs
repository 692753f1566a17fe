using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Stakes <see cref="Amount"/> rao of TAO from the signer (coldkey) onto a hotkey (buys alpha from the pool; on root, netuid 0, the TAO itself).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.AddStake")]
    public sealed record AddStake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Netuid { get; init; }
        [Id(2)] public required ulong Amount { get; init; }

        /// <summary>Optional highest price (rao of TAO per 1 alpha) the buy may reach.</summary>
        [Id(3)] public ulong? LimitPrice { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>add_stake</c>: see <see cref="AddStake"/>.</summary>
    public sealed class AddStakeCall : Extrinsic<AddStake>
    {
        public override string Name => "add_stake";

        /// <summary>subtensor's <c>weights.rs</c> <c>add_stake</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(664_064_000, 32, 16);

        public override AddStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), Netuid = a.U16("netuid"), Amount = a.U64("amount"), LimitPrice = a.OptionalU64("limit_price"),
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, AddStake a) =>
            PlanAsync(plan, a.Signer, a.Hotkey, a.Netuid, a.Amount, a.LimitPrice, allowPartial: false);

        /// <summary>
        /// <c>add_stake</c> and <c>add_stake_limit</c>: with a limit price, the buy may put in at most what keeps the price at or
        /// below it (<c>get_max_amount_add</c>); a larger amount is refused, or with <paramref name="allowPartial"/> cut to it.
        /// </summary>
        internal static async ValueTask<OpResult> PlanAsync(ChainPlan plan, string signer, string hotkeyAddress, ushort netuid, ulong amount, ulong? limitPrice, bool allowPartial)
        {
            var e = plan.Economy(netuid);
            bool root = netuid == RootNetwork.Netuid;
            if (e is null && !root) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {netuid}");
            if (amount < Tao.MinStake) return Fail(plan, Codes.AmountTooLow, $"the minimum stake is {Tao.MinStake} rao (0.002 TAO)");
            var hotkey = await plan.HotkeyAsync(hotkeyAddress);
            if (hotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey (register it first)");
            if (limitPrice is ulong limit && (e is null ? RootNetwork.MaxAdd(limit, amount) : PoolMath.MaxBuy(e.PoolTao, e.PoolAlpha, limit, amount, quoteWeight: e.QuoteWeight)) is var max && max < amount)
            {
                ulong after = e is null ? RootNetwork.Price : PoolMath.PriceAfterBuy(e.PoolTao, e.PoolAlpha, amount, quoteWeight: e.QuoteWeight);
                if (!allowPartial)
                    return Fail(plan, Codes.SlippageTooHigh, $"the buy would move the price to {after} rao per alpha, above the limit {limit}");
                if (max < Tao.MinStake)
                    return Fail(plan, Codes.AmountTooLow, $"only {max} rao can be staked before the price passes the limit {limit}, below the minimum {Tao.MinStake} rao");
                amount = max;
            }
            var account = await plan.AccountAsync(signer);
            if (account.Balance < amount) return Fail(plan, Codes.InsufficientBalance, $"balance {account.Balance} rao is below the amount {amount} rao");
            if (!Staking.RoomForNominator(plan, hotkey, netuid, signer)) return Fail(plan, Codes.TooManyNominators, Staking.TooManyNominatorsMessage(plan, netuid));
            ulong alpha = e is null ? amount : PoolMath.AlphaOut(e.PoolTao, e.PoolAlpha, amount, quoteWeight: e.QuoteWeight); // root: 1:1, no fee
            if (alpha == 0) return Fail(plan, Codes.AmountTooLow, "the amount buys no alpha at the current price");
            await plan.AccountAsync(signer, new AccountChange(-(long)amount));
            if (e is null) await RootNetwork.StakeAsync(plan, hotkeyAddress, signer, (long)amount);
            else await Staking.BuyAsync(plan, e, hotkeyAddress, signer, amount, alpha);
            plan.Emit(new ChainEvent { Kind = EventKinds.StakeAdded, Coldkey = signer, Hotkey = hotkeyAddress, Netuid = netuid, Tao = amount, Alpha = alpha });
            return Done(plan, netuid: netuid, amount: alpha);
        }
    }
}
