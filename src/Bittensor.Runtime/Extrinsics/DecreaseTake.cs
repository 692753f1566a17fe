using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>The owning coldkey lowers a hotkey's take; immediate (it restarts the wait before the next increase).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.DecreaseTake")]
    public sealed record DecreaseTake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Take { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>decrease_take</c>: see <see cref="DecreaseTake"/>.</summary>
    public sealed class DecreaseTakeCall : Extrinsic<DecreaseTake>
    {
        public override string Name => "decrease_take";

        public override DecreaseTake Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey"), Take = a.U16("take") };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, DecreaseTake t) => SetTakeCall.PlanAsync(plan, t.Signer, t.Hotkey, t.Take, increase: false);
    }
}
