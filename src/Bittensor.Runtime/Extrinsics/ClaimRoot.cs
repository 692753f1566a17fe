using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Claims the signer's root dividends on the named subnets, from every hotkey it stakes on in root.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.ClaimRoot")]
    public sealed record ClaimRoot : Operation
    {
        [Id(0)] public required ImmutableArray<ushort> Netuids { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>claim_root</c> (subtensor's <c>staking/claim_root.rs</c> <c>do_root_claim</c>): see <see cref="ClaimRoot"/>.</summary>
    public sealed class ClaimRootCall : Extrinsic<ClaimRoot>
    {
        public override string Name => "claim_root";

        /// <summary>subtensor's <c>weights.rs</c> <c>claim_root</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(138_999_000, 16, 4);

        public override ClaimRoot Parse(CallArgs a, string signer) => new() { Signer = signer, Netuids = a.U16Array("netuids") };

        /// <summary>
        /// 1 to <see cref="RootNetwork.MaxSubnetClaims"/> distinct subnets (<c>InvalidSubnetNumber</c>); then, for each hotkey the
        /// signer stakes on in root and each named subnet, what it is owed there when at least
        /// <see cref="RootNetwork.ClaimThreshold"/>, claimed as the signer's claim type (<see cref="RootNetwork.ClaimAsync"/>).
        /// Owing nothing is no error, as on subtensor. The result's amount is the alpha claimed.
        /// </summary>
        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, ClaimRoot c)
        {
            var netuids = c.Netuids.Distinct().Order().ToList();
            if (netuids.Count == 0 || netuids.Count > RootNetwork.MaxSubnetClaims)
                return Fail(plan, Codes.InvalidSubnetNumber, $"claim_root names {netuids.Count} subnets; it takes 1 to {RootNetwork.MaxSubnetClaims}");
            var account = await plan.AccountAsync(c.Signer);
            ulong claimed = 0;
            foreach (string hotkey in account.RootHotkeys.ToList())
                foreach (ushort netuid in netuids)
                    claimed += await RootNetwork.ClaimAsync(plan, hotkey, c.Signer, netuid, account.RootClaimType);
            return Done(plan, amount: claimed);
        }
    }
}
