using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The signer hotkey commits the hash of the weights it will reveal (commit-reveal v2); see
    /// <see cref="Keys.WeightCommitHash"/> for how the hash is made.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.CommitWeights")]
    public sealed record CommitWeights : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        /// <summary><c>0x</c> and 64 lower-case hex digits.</summary>
        [Id(1)] public required string CommitHash { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>commit_weights</c> (<c>do_commit_weights</c>): see <see cref="CommitWeights"/>.</summary>
    public sealed class CommitWeightsCall : Extrinsic<CommitWeights>
    {
        public override string Name => "commit_weights";

        public override CommitWeights Parse(CallArgs a, string signer) => new() { Signer = signer, Netuid = a.U16("netuid"), CommitHash = a.Hash("commit_hash") };

        /// <summary>
        /// In subtensor's order: the subnet exists; commit-reveal is on; the hotkey is registered; the neuron's last update
        /// (set by its last commit) is at least <c>weights_rate_limit</c> blocks old; after dropping expired commits, fewer
        /// than <see cref="CommitReveal.MaxUnrevealedCommits"/> remain. Then the commit is queued with its epoch and block,
        /// and the neuron's <c>last_update</c> becomes this block.
        /// </summary>
        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, CommitWeights c)
        {
            var s = await plan.SubnetAsync(c.Netuid);
            var e = plan.Economy(c.Netuid);
            if (s is null || e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {c.Netuid}");
            var h = s.Hyper;
            if (!h.CommitRevealWeightsEnabled)
                return Fail(plan, Codes.CommitRevealDisabled, $"commit-reveal is off for subnet {c.Netuid}: set weights directly with set_weights");
            int uid = s.UidOf(c.Signer);
            if (uid < 0) return Fail(plan, Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {c.Netuid}");
            ulong block = plan.Chain.Block;
            if (RateLimited(s, uid, block) is { } tooFast) return Fail(plan, tooFast);
            ulong epoch = CommitReveal.CurrentEpoch(e, block);
            var (live, _) = CommitReveal.Prune(s.Neurons[uid].Commits, epoch, h.CommitRevealPeriod);
            if (live.Length >= CommitReveal.MaxUnrevealedCommits)
                return Fail(plan, Codes.TooManyUnrevealedCommits,
                    $"the hotkey already has {live.Length} unrevealed commits on subnet {c.Netuid} (at most {CommitReveal.MaxUnrevealedCommits}); reveal or let them expire");
            await plan.SubnetAsync(c.Netuid, new StoreCommits((ushort)uid, live.Add(new WeightCommit(c.CommitHash, epoch, block)), block, SetsLastUpdate: true));
            plan.Emit(new ChainEvent { Kind = EventKinds.WeightsCommitted, Hotkey = c.Signer, Netuid = c.Netuid, Uid = (ushort)uid, Value = c.CommitHash });
            return Done(plan, netuid: c.Netuid, uid: (ushort)uid);
        }

        /// <summary><c>check_rate_limit</c> for a commit: the neuron's last update (its last commit) is fewer than <c>weights_rate_limit</c> blocks old.</summary>
        internal static RuleFailure? RateLimited(SubnetState s, int uid, ulong block)
        {
            ulong last = s.Neurons[uid].LastUpdate, limit = s.Hyper.WeightsRateLimit;
            if (last == 0 || block - Math.Min(block, last) >= limit) return null;
            ulong next = last + limit;
            return new RuleFailure(Codes.CommittingWeightsTooFast,
                $"the neuron last committed or set weights at block {last}; the rate limit is {limit} blocks (next allowed block {next})", next);
        }
    }
}
