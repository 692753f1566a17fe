using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// Sells all of the signer's alpha on a hotkey, in every subnet but root. Subtensor then stakes the TAO on root (netuid 0)
    /// on the same hotkey; root does not exist here yet, so the TAO is left free, as <see cref="UnstakeAll"/> leaves it.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.UnstakeAllAlpha")]
    public sealed record UnstakeAllAlpha : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>unstake_all_alpha</c>: see <see cref="UnstakeAllAlpha"/>.</summary>
    public sealed class UnstakeAllAlphaCall : Extrinsic<UnstakeAllAlpha>
    {
        public override string Name => "unstake_all_alpha";

        /// <summary>subtensor's <c>weights.rs</c> <c>unstake_all_alpha</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(700_873_000, 43, 25);

        public override UnstakeAllAlpha Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey") };

        // Root (netuid 0) is not a subnet here, so every subnet is an alpha subnet and no TAO goes back on root.
        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, UnstakeAllAlpha u) => UnstakeAllCall.PlanAsync(plan, u.Signer, u.Hotkey, EventKinds.StakeRemoved);
    }
}
