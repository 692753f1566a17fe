using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Sets how the signer's root dividends are claimed: <c>"Swap"</c> (to TAO staked on root; the default) or <c>"Keep"</c> (alpha).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetRootClaimType")]
    public sealed record SetRootClaimType : Operation
    {
        [Id(0)] public required string Type { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_root_claim_type</c>: see <see cref="SetRootClaimType"/>.</summary>
    public sealed class SetRootClaimTypeCall : Extrinsic<SetRootClaimType>
    {
        public override string Name => "set_root_claim_type";

        /// <summary>subtensor's <c>weights.rs</c> <c>set_root_claim_type</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(18_283_000, 2, 4);

        public override SetRootClaimType Parse(CallArgs a, string signer) =>
            new() { Signer = signer, Type = a.String("type") is var type && type is "Swap" or "Keep" ? type : throw new CallFormatException("type", "must be \"Swap\" or \"Keep\"") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetRootClaimType s)
        {
            if (s.Type is not ("Swap" or "Keep")) return Fail(plan, Codes.InvalidArgs, "type must be \"Swap\" or \"Keep\"");
            var type = s.Type == "Keep" ? RootClaimType.Keep : RootClaimType.Swap;
            await plan.AccountAsync(s.Signer, new AccountChange(0) { ClaimType = type });
            plan.Emit(new ChainEvent { Kind = EventKinds.RootClaimTypeSet, Coldkey = s.Signer, Value = type.ToString() });
            return Done(plan);
        }
    }
}
