using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Sells all of the signer's alpha on a hotkey, in every subnet, for free TAO (each sell pays the pool's fee).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.UnstakeAll")]
    public sealed record UnstakeAll : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>unstake_all</c>: see <see cref="UnstakeAll"/>.</summary>
    public sealed class UnstakeAllCall : Extrinsic<UnstakeAll>
    {
        public override string Name => "unstake_all";

        /// <summary>subtensor's <c>weights.rs</c> <c>unstake_all</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(26_830_000, 6, 0);

        public override UnstakeAll Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey") };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, UnstakeAll u) => PlanAsync(plan, u.Signer, u.Hotkey, alphaOnly: false);

        /// <summary>
        /// <c>unstake_all</c>: every subnet where the signer stakes on the hotkey, root first (1:1), then in netuid order, sold
        /// in full (a full unstake is exempt from the minimum). <c>unstake_all_alpha</c> (<paramref name="alphaOnly"/>): every
        /// subnet but root, and the TAO is staked on root on the same hotkey. Refused when there is nothing to sell
        /// (<c>validate_unstake_all</c>). The result's amount is the TAO unstaked, all subnets together.
        /// </summary>
        internal static async ValueTask<OpResult> PlanAsync(ChainPlan plan, string signer, string hotkeyAddress, bool alphaOnly)
        {
            var hotkey = await plan.HotkeyAsync(hotkeyAddress);
            if (hotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey");
            ulong onRoot = alphaOnly ? 0 : Staking.StakeOf(hotkey, RootNetwork.Netuid, signer);
            var stakes = plan.Chain.Ordered
                .Select(e => (Economy: e, Alpha: Staking.StakeOf(hotkey, e.Netuid, signer)))
                .Where(s => s.Alpha > 0).ToList();
            if (stakes.Count == 0 && onRoot == 0) return Fail(plan, Codes.AmountTooLow, "the signer has no stake on this hotkey to unstake");
            ulong total = onRoot;
            if (onRoot > 0)
            {
                await RootNetwork.StakeAsync(plan, hotkeyAddress, signer, -(long)onRoot);
                plan.Emit(new ChainEvent { Kind = EventKinds.StakeRemoved, Coldkey = signer, Hotkey = hotkeyAddress, Netuid = RootNetwork.Netuid, Alpha = onRoot, Tao = onRoot });
            }
            foreach (var (e, alpha) in stakes)
            {
                ulong tao = PoolMath.TaoOut(e.PoolTao, e.PoolAlpha, alpha, quoteWeight: e.QuoteWeight);
                await Staking.SellAsync(plan, e, hotkeyAddress, signer, alpha, tao);
                plan.Emit(new ChainEvent { Kind = EventKinds.StakeRemoved, Coldkey = signer, Hotkey = hotkeyAddress, Netuid = e.Netuid, Alpha = alpha, Tao = tao });
                total += tao;
            }
            if (alphaOnly)
            {
                await RootNetwork.StakeAsync(plan, hotkeyAddress, signer, (long)total);
                plan.Emit(new ChainEvent { Kind = EventKinds.StakeAdded, Coldkey = signer, Hotkey = hotkeyAddress, Netuid = RootNetwork.Netuid, Tao = total, Alpha = total });
            }
            else await plan.AccountAsync(signer, new AccountChange((long)total));
            return Done(plan, amount: total);
        }
    }
}
