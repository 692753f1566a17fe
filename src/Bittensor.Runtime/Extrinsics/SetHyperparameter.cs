using System.Collections.Immutable;
using Bittensor.Consensus;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The subnet owner (coldkey) changes one hyperparameter, as subtensor's admin-utils allows: not the root-only ones, at
    /// most once per 2 tempos per parameter, and not in the freeze window before an epoch. The chain's sudo key
    /// (<c>Chain:Sudo</c>) changes any, any time.
    /// </summary>
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

        /// <summary>admin-utils' <c>sudo_set_serving_rate_limit</c>, the weight of its owner-settable <c>sudo_set_*</c> calls (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(28_633_000, 4, 1);

        public override SetHyperparameter Parse(CallArgs a, string signer) => new() { Signer = signer, Netuid = a.U16("netuid"), Name = a.String("name"), Value = a.Scalar("value") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetHyperparameter h)
        {
            var e = plan.Economy(h.Netuid);
            if (e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {h.Netuid}");
            bool root = plan.Rules.Sudo is { } sudo && h.Signer == sudo;
            if (!root && h.Signer != e.OwnerColdkey) return Fail(plan, Codes.NotOwner, $"only the subnet owner's coldkey (or the chain's sudo key) may change subnet {h.Netuid}");
            var (updated, error) = e.Hyper.With(h.Name, h.Value);
            if (updated is null) return Fail(plan, Codes.InvalidHyperparameter, error!);
            if (!root && OwnerRuleFailure(plan, e, h.Name) is { } refused) return refused;
            e.Hyper = updated;
            // Tempo changes the period, not the clock: the next epoch stays lastEpochBlock + tempo (an owner cannot hold
            // emission back by setting tempo again and again).
            if (!root) e.HyperparameterSetAt = new(e.HyperparameterSetAt, StringComparer.Ordinal) { [h.Name] = plan.Chain.Block }; // a new map: plan copies share it
            await plan.SubnetAsync(h.Netuid, new ReplaceHyperparameters(updated));
            plan.Emit(new ChainEvent { Kind = EventKinds.HyperparameterSet, Coldkey = h.Signer, Netuid = h.Netuid, Name = h.Name, Value = h.Value });
            return Done(plan, netuid: h.Netuid);
        }

        /// <summary>Hyperparameters only root sets on subtensor (admin-utils <c>ensure_root</c>) among those this chain has.</summary>
        public static readonly IReadOnlySet<string> RootOnly = new HashSet<string>(StringComparer.Ordinal)
        {
            "tempo", "kappa", "max_allowed_validators", "weights_rate_limit", "registration_allowed",
        };

        /// <summary>Why the owner may not set <paramref name="name"/> now: root-only, the freeze window before an epoch, or the rate limit.</summary>
        private static OpResult? OwnerRuleFailure(ChainPlan plan, SubnetEconomy e, string name)
        {
            var rules = plan.Rules;
            ulong block = plan.Chain.Block;
            if (RootOnly.Contains(name) && !rules.OwnerRootParameters)
                return Fail(plan, Codes.RootOnlyHyperparameter, $"{name} is set by root only (subtensor's admin-utils); on this chain by the sudo key (Chain:Sudo)");
            ulong nextEpoch = EpochSchedule.NextEpochStartBlock(e.Hyper.Tempo, e.LastEpochBlock, e.PendingEpochAt);
            if (rules.AdminFreezeWindow > 0 && e.Hyper.Tempo > 0 && nextEpoch >= block && nextEpoch - block <= rules.AdminFreezeWindow)
                return Fail(plan, Codes.AdminActionProhibitedDuringWeightsWindow,
                    $"subnet {e.Netuid}'s epoch is at block {nextEpoch}; owners may not change hyperparameters in the {rules.AdminFreezeWindow} blocks before it", nextEpoch + 1);
            ulong tempos = name == "weights_version_key" ? 5 * rules.OwnerHyperparameterRateLimitTempos / 2 : rules.OwnerHyperparameterRateLimitTempos;
            ulong wait = tempos * e.Hyper.Tempo;
            if (wait > 0 && e.HyperparameterSetAt.TryGetValue(name, out ulong last) && block < last + wait)
                return Fail(plan, Codes.HyperparameterRateLimited, $"{name} was set at block {last}; its owner may set it again from block {last + wait} ({tempos} tempos)", last + wait);
            return null;
        }
    }
}
