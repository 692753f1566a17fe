using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Unstakes <see cref="Amount"/> rao of alpha from a hotkey back to the signer's free TAO (sells alpha to the pool).</summary>
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

        public override RemoveStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), Netuid = a.U16("netuid"), Amount = a.U64("amount"), LimitPrice = a.OptionalU64("limit_price"),
        };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, RemoveStake r)
        {
            var e = plan.Economy(r.Netuid);
            if (e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {r.Netuid}");
            if (r.Amount == 0) return Fail(plan, Codes.InvalidAmount, "amount must be at least 1 rao of alpha");
            var hotkey = await plan.HotkeyAsync(r.Hotkey);
            ulong staked = hotkey.Stakes.GetValueOrDefault(KeyLedger.StakeKey(r.Netuid, r.Signer));
            if (staked < r.Amount) return Fail(plan, Codes.NotEnoughStake, $"the signer has {staked} rao of alpha staked on this hotkey in subnet {r.Netuid}");
            ulong tao = PoolMath.TaoOut(e.PoolTao, e.PoolAlpha, r.Amount);
            if (tao < Tao.MinStake && r.Amount != staked)
                return Fail(plan, Codes.AmountTooLow, $"unstaking returns {tao} rao, below the minimum {Tao.MinStake} rao (unstake everything instead)");
            ulong price = PoolMath.PriceRao(e.PoolTao - tao, e.PoolAlpha + r.Amount);
            if (r.LimitPrice is ulong limit && price < limit)
                return Fail(plan, Codes.SlippageTooHigh, $"the sell would move the price to {price} rao per alpha, below the limit {limit}");
            e.PoolTao -= tao;
            e.PoolAlpha += r.Amount;
            e.AlphaStaked -= r.Amount;
            await plan.SubnetAsync(r.Netuid, new NeuronStake(r.Hotkey, -(long)r.Amount));
            await plan.HotkeyAsync(r.Hotkey, new HotkeyChange { Stakes = [new StakeDelta(r.Netuid, r.Signer, -(long)r.Amount)] });
            await plan.AccountAsync(r.Signer, new AccountChange((long)tao));
            plan.Emit("StakeRemoved", r.Hotkey, r.Netuid, amount: tao);
            return Done(plan, netuid: r.Netuid, amount: tao);
        }
    }
}
