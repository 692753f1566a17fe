using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Sets the signer hotkey's weights on a subnet (u16 values, stored max-upscaled).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetWeights")]
    public sealed record SetWeights : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required ImmutableArray<ushort> Uids { get; init; }
        [Id(2)] public required ImmutableArray<ushort> Weights { get; init; }
        [Id(3)] public ulong VersionKey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_weights</c>: see <see cref="SetWeights"/>.</summary>
    public sealed class SetWeightsCall : Extrinsic<SetWeights>
    {
        public override string Name => "set_weights";

        public override SetWeights Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Netuid = a.U16("netuid"), Uids = a.U16Array("uids"), Weights = a.U16Array("weights"), VersionKey = a.OptionalU64("version_key") ?? 0,
        };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetWeights w)
        {
            var s = await plan.SubnetAsync(w.Netuid);
            if (s is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {w.Netuid}");
            return await StoreAsync(plan, s, w, reveal: false) is { } failure ? Fail(plan, failure.Code, failure.Message, failure.PassesFromBlock)
                : Done(plan, netuid: w.Netuid, uid: (ushort)s.UidOf(w.Signer));
        }

        public override async ValueTask<IReadOnlyList<RuleFailure>> PreflightAsync(ChainPlan plan, SetWeights w) =>
            await plan.SubnetAsync(w.Netuid) is { } s ? Rules(s, w, plan.Chain.Block, rootWeighted: await RootWeightedAsync(plan, w.Signer))
                : [new RuleFailure(Codes.SubnetNotFound, $"no subnet has netuid {w.Netuid}")];

        /// <summary>tao_weight · the hotkey's TAO on root, whole rao: the root part of its stake for the weights threshold (0 without root stake).</summary>
        private static async ValueTask<ulong> RootWeightedAsync(ChainPlan plan, string hotkey) =>
            plan.Chain.RootStake == 0 || plan.Rules.TaoWeight == 0 ? 0
                : RootNetwork.StakeWeight(0, (await plan.HotkeyAsync(hotkey)).StakeIn(RootNetwork.Netuid), plan.Rules.TaoWeight).Whole;

        /// <summary>
        /// Checks the rules and plans the weight row (<c>internal_set_weights</c>); null when stored, else the first rule
        /// broken. A <paramref name="reveal"/> may set weights on a commit-reveal subnet and keeps the LastUpdate its commit set.
        /// </summary>
        internal static async ValueTask<RuleFailure?> StoreAsync(ChainPlan plan, SubnetState s, SetWeights w, bool reveal)
        {
            var errors = Rules(s, w, plan.Chain.Block, reveal, await RootWeightedAsync(plan, w.Signer));
            if (errors.Count > 0) return errors[0];
            int uid = s.UidOf(w.Signer);
            await plan.SubnetAsync(w.Netuid, new StoreWeights((ushort)uid, w.Uids, [.. WeightMath.MaxUpscale(w.Weights)], plan.Chain.Block)
            {
                KeepLastUpdate = s.Hyper.CommitRevealWeightsEnabled,
            });
            plan.Emit(new ChainEvent { Kind = EventKinds.WeightsSet, Hotkey = w.Signer, Netuid = w.Netuid, Uid = (ushort)uid, Number = (ulong)w.Uids.Length });
            return null;
        }

        /// <summary>
        /// Every set_weights rule of spec §8 the call breaks now, in the chain's order (empty when it passes). Direct
        /// set_weights on a commit-reveal subnet is refused first (as the call's dispatch does); a <paramref name="reveal"/>
        /// is not, and neither is rate-limited while commit-reveal is on (the commit was). <paramref name="rootWeighted"/> is
        /// tao_weight · the signer's TAO on root (whole rao), added to its alpha for the stake threshold.
        /// </summary>
        public static List<RuleFailure> Rules(SubnetState s, SetWeights w, ulong block, bool reveal = false, ulong rootWeighted = 0)
        {
            var errors = new List<RuleFailure>();
            if (!reveal && s.Hyper.CommitRevealWeightsEnabled)
                errors.Add(new(Codes.CommitRevealEnabled,
                    $"commit-reveal is on for subnet {s.Netuid}: commit the weights' hash with commit_weights, then reveal them with reveal_weights in the reveal epoch"));
            int n = s.Neurons.Count;
            if (w.Uids.Length != w.Weights.Length) errors.Add(new(Codes.WeightVecLengthMismatch, $"{w.Uids.Length} uids but {w.Weights.Length} weights"));
            if (w.Uids.Length > n) errors.Add(new(Codes.TooManyUids, $"{w.Uids.Length} uids on a subnet of {n}"));
            int uid = s.UidOf(w.Signer);
            if (uid < 0)
            {
                errors.Add(new(Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {s.Netuid}"));
                return errors;
            }
            bool owner = w.Signer == s.OwnerHotkey;
            ulong stake = s.Neurons[uid].Stake + rootWeighted; // check_weights_min_stake: alpha + tao_weight·root
            if (!owner && stake < s.Hyper.StakeThreshold)
                errors.Add(new(Codes.NotEnoughStakeToSetWeights, $"stake {stake} rao is below the threshold {s.Hyper.StakeThreshold} rao"));
            if (s.Hyper.WeightsVersionKey != 0 && w.VersionKey < s.Hyper.WeightsVersionKey)
                errors.Add(new(Codes.IncorrectWeightVersionKey, $"version_key {w.VersionKey} is below the subnet's {s.Hyper.WeightsVersionKey}"));
            if (!s.Hyper.CommitRevealWeightsEnabled)
            {
                ulong last = s.Neurons[uid].LastUpdate;
                if (last != 0 && block - Math.Min(block, last) < s.Hyper.WeightsRateLimit)
                {
                    ulong next = last + s.Hyper.WeightsRateLimit;
                    errors.Add(new(Codes.WeightsRateLimited, $"weights were set at block {last}; the rate limit is {s.Hyper.WeightsRateLimit} blocks (next allowed block {next})", next));
                }
            }
            bool selfOnly = w.Uids.Length == 1 && w.Uids[0] == uid;
            if (!selfOnly && !owner && !s.Neurons[uid].ValidatorPermit)
                errors.Add(new(Codes.NoValidatorPermit, "the hotkey has no validator permit on this subnet"));
            if (HasDuplicate(w.Uids.AsSpan())) errors.Add(new(Codes.DuplicateUids, "a uid appears more than once"));
            int missing = w.Uids.AsSpan().IndexOfAnyInRange((ushort)Math.Min(n, ushort.MaxValue), ushort.MaxValue);
            if (missing >= 0 && n <= ushort.MaxValue) errors.Add(new(Codes.UidNotFound, $"uid {w.Uids[missing]} does not exist (n = {n})"));
            int min = Math.Min((int)s.Hyper.MinAllowedWeights, n);
            if (!selfOnly && w.Weights.Length < min) errors.Add(new(Codes.WeightVecLengthIsLow, $"at least {min} weights are required"));
            return errors;
        }

        /// <summary>Whether a uid appears more than once (a bit per possible uid, on the stack).</summary>
        private static bool HasDuplicate(ReadOnlySpan<ushort> uids)
        {
            Span<ulong> seen = stackalloc ulong[(ushort.MaxValue + 1) / 64];
            seen.Clear();
            foreach (ushort u in uids)
            {
                ulong bit = 1UL << (u & 63);
                if ((seen[u >> 6] & bit) != 0) return true;
                seen[u >> 6] |= bit;
            }
            return false;
        }
    }
}
