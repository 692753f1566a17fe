using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// Gives up to <see cref="AlphaAmount"/> of the signer's alpha on a hotkey to another coldkey, on the same or another
    /// subnet (same hotkey). Both subnets' owners must allow it (hyperparameter <c>transfer_allowed</c>, on by default).
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.TransferStake")]
    public sealed record TransferStake : Operation
    {
        [Id(0)] public required string DestinationColdkey { get; init; }
        [Id(1)] public required string Hotkey { get; init; }
        [Id(2)] public required ushort OriginNetuid { get; init; }
        [Id(3)] public required ushort DestinationNetuid { get; init; }
        [Id(4)] public required ulong AlphaAmount { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>transfer_stake</c>: see <see cref="TransferStake"/>.</summary>
    public sealed class TransferStakeCall : Extrinsic<TransferStake>
    {
        public override string Name => "transfer_stake";

        /// <summary>subtensor's <c>weights.rs</c> <c>transfer_stake</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(258_541_000, 19, 6);

        public override TransferStake Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, DestinationColdkey = a.Address("destination_coldkey"), Hotkey = a.Address("hotkey"),
            OriginNetuid = a.U16("origin_netuid"), DestinationNetuid = a.U16("destination_netuid"), AlphaAmount = a.U64("alpha_amount"),
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, TransferStake t) => MoveStakeCall.PlanAsync(plan, new StakeTransition(
            EventKinds.StakeTransferred, (t.Hotkey, t.Signer, t.OriginNetuid), (t.Hotkey, t.DestinationColdkey, t.DestinationNetuid), t.AlphaAmount, CheckTransfer: true));
    }
}
