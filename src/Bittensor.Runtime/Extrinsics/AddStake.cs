using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Stakes <see cref="Amount"/> rao of TAO from the signer (coldkey) onto a hotkey (buys alpha from the pool).</summary>
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

        public override AddStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), Netuid = a.U16("netuid"), Amount = a.U64("amount"), LimitPrice = a.OptionalU64("limit_price"),
        };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, AddStake a)
        {
            var e = plan.Economy(a.Netuid);
            if (e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {a.Netuid}");
            if (a.Amount < Tao.MinStake) return Fail(plan, Codes.AmountTooLow, $"the minimum stake is {Tao.MinStake} rao (0.002 TAO)");
            var hotkey = await plan.HotkeyAsync(a.Hotkey);
            if (hotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey (register it first)");
            var account = await plan.AccountAsync(a.Signer);
            if (account.Balance < a.Amount) return Fail(plan, Codes.InsufficientBalance, $"balance {account.Balance} rao is below the amount {a.Amount} rao");
            if (!hotkey.Stakes.ContainsKey(KeyLedger.StakeKey(a.Netuid, a.Signer)) && hotkey.NominatorsIn(a.Netuid) >= plan.Rules.MaxNominatorsPerHotkey)
                return Fail(plan, Codes.TooManyNominators, $"the hotkey already has {plan.Rules.MaxNominatorsPerHotkey} nominators on subnet {a.Netuid}, the most the chain keeps per hotkey");
            ulong alpha = PoolMath.AlphaOut(e.PoolTao, e.PoolAlpha, a.Amount);
            if (alpha == 0) return Fail(plan, Codes.AmountTooLow, "the amount buys no alpha at the current price");
            ulong price = PoolMath.PriceRao(e.PoolTao + a.Amount, e.PoolAlpha - alpha);
            if (a.LimitPrice is ulong limit && price > limit)
                return Fail(plan, Codes.SlippageTooHigh, $"the buy would move the price to {price} rao per alpha, above the limit {limit}");
            await plan.AccountAsync(a.Signer, new AccountChange(-(long)a.Amount));
            e.PoolTao += a.Amount;
            e.PoolAlpha -= alpha;
            e.AlphaStaked += alpha;
            await plan.SubnetAsync(a.Netuid, new NeuronStake(a.Hotkey, (long)alpha));
            await plan.HotkeyAsync(a.Hotkey, new HotkeyChange { Stakes = [new StakeDelta(a.Netuid, a.Signer, (long)alpha)] });
            plan.Emit("StakeAdded", a.Hotkey, a.Netuid, amount: alpha);
            return Done(plan, netuid: a.Netuid, amount: alpha);
        }
    }
}
