using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Moves up to <see cref="AlphaAmount"/> of the signer's alpha on a hotkey from one subnet to another (same hotkey, same coldkey).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SwapStake")]
    public sealed record SwapStake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort OriginNetuid { get; init; }
        [Id(2)] public required ushort DestinationNetuid { get; init; }
        [Id(3)] public required ulong AlphaAmount { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>swap_stake</c>: see <see cref="SwapStake"/>.</summary>
    public sealed class SwapStakeCall : Extrinsic<SwapStake>
    {
        public override string Name => "swap_stake";

        /// <summary>subtensor's <c>weights.rs</c> <c>swap_stake</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(742_019_000, 47, 24);

        public override SwapStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Hotkey = a.Address("hotkey"), OriginNetuid = a.U16("origin_netuid"), DestinationNetuid = a.U16("destination_netuid"),
            AlphaAmount = a.U64("alpha_amount"),
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, SwapStake s) => MoveStakeCall.PlanAsync(plan, new StakeTransition(
            EventKinds.StakeSwapped, (s.Hotkey, s.Signer, s.OriginNetuid), (s.Hotkey, s.Signer, s.DestinationNetuid), s.AlphaAmount));
    }
}
