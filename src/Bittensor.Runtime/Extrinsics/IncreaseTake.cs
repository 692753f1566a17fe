using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>The owning coldkey raises a hotkey's take (to at most 18%), at most once per <c>TakeRateLimit</c> blocks.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.IncreaseTake")]
    public sealed record IncreaseTake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Take { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>increase_take</c>: see <see cref="IncreaseTake"/>.</summary>
    public sealed class IncreaseTakeCall : Extrinsic<IncreaseTake>
    {
        public override string Name => "increase_take";

        public override IncreaseTake Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey"), Take = a.U16("take") };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, IncreaseTake t) => SetTakeCall.PlanAsync(plan, t.Signer, t.Hotkey, t.Take, increase: true);
    }
}
