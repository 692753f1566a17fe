using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// <see cref="SwapStake"/> with a price guard: after the swap, the origin subnet's price over the destination's (rao, 10^9 = 1)
    /// must still be at least <see cref="LimitPrice"/>; a larger amount is refused, or with <see cref="AllowPartial"/> cut to fit.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SwapStakeLimit")]
    public sealed record SwapStakeLimit : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort OriginNetuid { get; init; }
        [Id(2)] public required ushort DestinationNetuid { get; init; }
        [Id(3)] public required ulong AlphaAmount { get; init; }
        [Id(4)] public required ulong LimitPrice { get; init; }
        [Id(5)] public bool AllowPartial { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>swap_stake_limit</c>: see <see cref="SwapStakeLimit"/>.</summary>
    public sealed class SwapStakeLimitCall : Extrinsic<SwapStakeLimit>
    {
        public override string Name => "swap_stake_limit";

        /// <summary>subtensor's <c>weights.rs</c> <c>swap_stake_limit</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(944_515_000, 47, 24);

        public override SwapStakeLimit Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), OriginNetuid = a.U16("origin_netuid"), DestinationNetuid = a.U16("destination_netuid"),
            AlphaAmount = a.U64("alpha_amount"), LimitPrice = a.U64("limit_price"), AllowPartial = a.OptionalBool("allow_partial") ?? false,
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, SwapStakeLimit s) => MoveStakeCall.PlanAsync(plan, new StakeTransition(
            EventKinds.StakeSwapped, (s.Hotkey, s.Signer, s.OriginNetuid), (s.Hotkey, s.Signer, s.DestinationNetuid), s.AlphaAmount, s.LimitPrice, s.AllowPartial));
    }
}
