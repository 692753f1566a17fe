using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// Sells all of the signer's alpha on a hotkey, in every subnet but root, and stakes the TAO on root (netuid 0) on the
    /// same hotkey, as subtensor's <c>do_unstake_all_alpha</c>.
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

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, UnstakeAllAlpha u) => UnstakeAllCall.PlanAsync(plan, u.Signer, u.Hotkey, alphaOnly: true);
    }
}
