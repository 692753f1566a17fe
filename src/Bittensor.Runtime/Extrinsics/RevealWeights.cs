using System.Collections.Immutable;
using Bittensor.Keys;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The signer hotkey reveals weights it committed: the data must hash (with the salt) to one of its unexpired commits,
    /// in that commit's reveal epoch; the weights are then set as by set_weights.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.RevealWeights")]
    public sealed record RevealWeights : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required ImmutableArray<ushort> Uids { get; init; }
        [Id(2)] public required ImmutableArray<ushort> Values { get; init; }
        [Id(3)] public required ImmutableArray<ushort> Salt { get; init; }
        [Id(4)] public required ulong VersionKey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>reveal_weights</c> (<c>do_reveal_weights</c>): see <see cref="RevealWeights"/>.</summary>
    public sealed class RevealWeightsCall : Extrinsic<RevealWeights>
    {
        public override string Name => "reveal_weights";

        public override RevealWeights Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Netuid = a.U16("netuid"), Uids = a.U16Array("uids"), Values = a.U16Array("values"), Salt = a.U16Array("salt"),
            VersionKey = a.U64("version_key"),
        };

        /// <summary>
        /// In subtensor's order: commit-reveal is on; the hotkey has commits; expired ones are dropped from the front; the
        /// data's hash matches an unexpired commit (else <c>ExpiredWeightCommit</c> when it matches a dropped one); this is
        /// that commit's reveal epoch; the weights pass set_weights' rules. Then that commit and every older one leave the
        /// queue and the weights are stored (the neuron's <c>last_update</c> stays the commit's block).
        /// </summary>
        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, RevealWeights r)
        {
            var (s, window, failure) = await Window.OpenAsync(plan, r.Netuid, r.Signer);
            if (failure is not null) return Fail(plan, failure);
            string hash = HashOf(r.Signer, r.Netuid, r.Uids, r.Values, r.Salt, r.VersionKey);
            int position = window!.IndexOf(hash);
            if (position < 0) return Fail(plan, window.Unmatched(hash));
            if (window.TooEarly(window.Live[position]) is { } early) return Fail(plan, early);
            if (await SetWeightsCall.StoreAsync(plan, s!, ToSetWeights(r.Signer, r.Netuid, r.Uids, r.Values, r.VersionKey), reveal: true) is { } rule)
                return Fail(plan, rule);
            await window.KeepAsync(plan, window.Live[(position + 1)..]);
            plan.Emit(new ChainEvent { Kind = EventKinds.WeightsRevealed, Hotkey = r.Signer, Netuid = r.Netuid, Uid = window.Uid });
            return Done(plan, netuid: r.Netuid, uid: window.Uid);
        }

        internal static string HashOf(string signer, ushort netuid, ImmutableArray<ushort> uids, ImmutableArray<ushort> values, ImmutableArray<ushort> salt, ulong versionKey) =>
            WeightCommitHash.Compute(signer, netuid, uids.AsSpan(), values.AsSpan(), salt.AsSpan(), versionKey);

        internal static SetWeights ToSetWeights(string signer, ushort netuid, ImmutableArray<ushort> uids, ImmutableArray<ushort> values, ulong versionKey) =>
            new() { Signer = signer, Netuid = netuid, Uids = uids, Weights = values, VersionKey = versionKey };
    }

    /// <summary>A hotkey's commits as a reveal sees them: the unexpired queue, the expired hashes, the current epoch.</summary>
    internal sealed class Window
    {
        public required ushort Netuid { get; init; }
        public required ushort Uid { get; init; }
        public required ulong Epoch { get; init; }
        public required ulong Period { get; init; }
        public required ulong Block { get; init; }
        public required ImmutableArray<WeightCommit> Live { get; init; }
        public required ImmutableArray<WeightCommit> Expired { get; init; }

        /// <summary>The subnet and the signer's commits, or the rule that stops any reveal (subnet, commit-reveal off, no commits).</summary>
        public static async ValueTask<(SubnetState? Subnet, Window? Window, RuleFailure? Failure)> OpenAsync(ChainPlan plan, ushort netuid, string signer)
        {
            var s = await plan.SubnetAsync(netuid);
            var e = plan.Economy(netuid);
            if (s is null || e is null) return (null, null, new RuleFailure(Codes.SubnetNotFound, $"no subnet has netuid {netuid}"));
            if (!s.Hyper.CommitRevealWeightsEnabled)
                return (s, null, new RuleFailure(Codes.CommitRevealDisabled, $"commit-reveal is off for subnet {netuid}: set weights directly with set_weights"));
            int uid = s.UidOf(signer);
            if (uid < 0) return (s, null, new RuleFailure(Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {netuid}"));
            var queue = s.Neurons[uid].Commits;
            if (queue.IsEmpty) return (s, null, new RuleFailure(Codes.NoWeightsCommitFound, $"the hotkey has no weight commit on subnet {netuid}"));
            ulong epoch = CommitReveal.CurrentEpoch(e, plan.Chain.Block);
            var (live, expired) = CommitReveal.Prune(queue, epoch, s.Hyper.CommitRevealPeriod);
            return (s, new Window
            {
                Netuid = netuid, Uid = (ushort)uid, Epoch = epoch, Period = s.Hyper.CommitRevealPeriod, Block = plan.Chain.Block, Live = live, Expired = expired,
            }, null);
        }

        /// <summary>Position of the unexpired commit with <paramref name="hash"/>, or -1.</summary>
        public int IndexOf(string hash) => IndexOf(Live, hash);

        /// <summary>Position of the commit with <paramref name="hash"/> in <paramref name="queue"/>, or -1.</summary>
        public static int IndexOf(ImmutableArray<WeightCommit> queue, string hash)
        {
            for (int k = 0; k < queue.Length; k++) if (queue[k].Hash == hash) return k;
            return -1;
        }

        /// <summary>Why <paramref name="hash"/> matches no unexpired commit.</summary>
        public RuleFailure Unmatched(string hash)
        {
            if (Expired.Any(c => c.Hash == hash))
                return new(Codes.ExpiredWeightCommit, $"the commit {hash} expired: its reveal epoch has passed (the subnet is in epoch {Epoch})");
            return Live.IsEmpty
                ? new(Codes.NoWeightsCommitFound, $"the hotkey has no unexpired weight commit on subnet {Netuid}")
                : new(Codes.InvalidRevealCommitHashNotMatch,
                    $"the revealed data hashes to {hash}, which matches none of the hotkey's {Live.Length} unexpired commits (check uids, values, salt, version_key and the signer)");
        }

        /// <summary>The failure when <paramref name="commit"/>'s reveal epoch has not come yet, else null.</summary>
        public RuleFailure? TooEarly(WeightCommit commit)
        {
            if (CommitReveal.IsRevealEpoch(commit.Epoch, Epoch, Period)) return null;
            ulong reveal = CommitReveal.RevealEpoch(commit.Epoch, Period);
            return new(Codes.RevealTooEarly, $"the commit of epoch {commit.Epoch} is revealed in epoch {reveal}; the subnet is in epoch {Epoch}");
        }

        /// <summary>Stores what is left of the queue.</summary>
        public ValueTask KeepAsync(ChainPlan plan, ImmutableArray<WeightCommit> rest) =>
            plan.SubnetAsync(Netuid, new StoreCommits(Uid, rest, Block, SetsLastUpdate: false));
    }
}
