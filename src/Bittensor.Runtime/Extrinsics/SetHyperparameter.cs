using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>The subnet owner (coldkey) changes one hyperparameter.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetHyperparameter")]
    public sealed record SetHyperparameter : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required string Name { get; init; }
        [Id(2)] public required string Value { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_hyperparameter</c>: see <see cref="SetHyperparameter"/>.</summary>
    public sealed class SetHyperparameterCall : Extrinsic<SetHyperparameter>
    {
        public override string Name => "set_hyperparameter";

        public override SetHyperparameter Parse(CallArgs a, string signer) => new() { Signer = signer, Netuid = a.U16("netuid"), Name = a.String("name"), Value = a.Scalar("value") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetHyperparameter h)
        {
            var e = plan.Economy(h.Netuid);
            if (e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {h.Netuid}");
            if (h.Signer != e.OwnerColdkey) return Fail(plan, Codes.NotOwner, $"only the subnet owner's coldkey may change subnet {h.Netuid}");
            var (updated, error) = e.Hyper.With(h.Name, h.Value);
            if (updated is null) return Fail(plan, Codes.InvalidHyperparameter, error!);
            e.Hyper = updated;
            if (h.Name == "tempo") e.LastEpochBlock = plan.Chain.Block;
            await plan.SubnetAsync(h.Netuid, new ReplaceHyperparameters(updated));
            plan.Emit("HyperparameterSet", h.Signer, h.Netuid);
            return Done(plan, netuid: h.Netuid);
        }
    }
}
