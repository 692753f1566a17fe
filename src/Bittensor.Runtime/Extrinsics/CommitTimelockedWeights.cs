using Bittensor.Keys;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The signer hotkey commits weights encrypted to a future round of the chain's randomness beacon (commit-reveal v4);
    /// the chain decrypts and applies them itself once that round is published (see <see cref="TimelockReveal"/>).
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.CommitTimelockedWeights")]
    public sealed record CommitTimelockedWeights : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        /// <summary>A <see cref="TimelockCipher"/> ciphertext of a <see cref="TimelockPayload"/>.</summary>
        [Id(1)] public required byte[] Commit { get; init; }
        [Id(2)] public required ulong RevealRound { get; init; }
        [Id(3)] public required ushort CommitRevealVersion { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>commit_timelocked_weights</c> (<c>do_commit_timelocked_weights</c>): see <see cref="CommitTimelockedWeights"/>.</summary>
    public sealed class CommitTimelockedWeightsCall : Extrinsic<CommitTimelockedWeights>
    {
        public override string Name => "commit_timelocked_weights";

        public override CommitTimelockedWeights Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Netuid = a.U16("netuid"), Commit = HexBytes(a.Scalar("commit")), RevealRound = a.U64("reveal_round"),
            CommitRevealVersion = a.U16("commit_reveal_version"),
        };

        /// <summary>
        /// In subtensor's order: the subnet exists; commit-reveal is on; the version is the chain's; then (rules of this chain,
        /// which has no drand to check against) the commit is a well-formed ciphertext sealed to <c>reveal_round</c> and that
        /// round is not published yet nor more than <see cref="ChainRules.MaxRevealRoundsAhead"/> rounds ahead; the hotkey is
        /// registered; the rate limit; fewer than <see cref="CommitReveal.MaxUnrevealedCommits"/> of its timelocked commits in
        /// this epoch. Then the commit is queued with its epoch and block, and the neuron's <c>last_update</c> becomes this block.
        /// </summary>
        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, CommitTimelockedWeights c)
        {
            var s = await plan.SubnetAsync(c.Netuid);
            var e = plan.Economy(c.Netuid);
            if (s is null || e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {c.Netuid}");
            if (!s.Hyper.CommitRevealWeightsEnabled)
                return Fail(plan, Codes.CommitRevealDisabled, $"commit-reveal is off for subnet {c.Netuid}: set weights directly with set_weights");
            if (c.CommitRevealVersion != TimelockReveal.CommitRevealVersion)
                return Fail(plan, Codes.IncorrectCommitRevealVersion,
                    $"commit_reveal_version is {c.CommitRevealVersion}; the chain reads version {TimelockReveal.CommitRevealVersion}");
            if (TimelockCipher.ShapeError(c.Commit, c.RevealRound) is { } shape) return Fail(plan, Codes.MalformedTimelockedCommit, shape);
            ulong block = plan.Chain.Block;
            var beacon = HashChainBeacon.For(plan.Rules);
            ulong latest = beacon.LatestRound(block);
            if (c.RevealRound <= latest)
                return Fail(plan, Codes.InvalidRevealRound, $"reveal_round {c.RevealRound} is already published (the beacon is at round {latest}): aim at a later round");
            ulong furthest = Math.Min(beacon.LastRound, latest + plan.Rules.MaxRevealRoundsAhead);
            if (c.RevealRound > furthest)
                return Fail(plan, Codes.InvalidRevealRound, $"reveal_round {c.RevealRound} is too far ahead: the beacon is at round {latest} and commits may aim at most at round {furthest}");
            int uid = s.UidOf(c.Signer);
            if (uid < 0) return Fail(plan, Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {c.Netuid}");
            if (CommitWeightsCall.RateLimited(s, uid, block) is { } tooFast) return Fail(plan, tooFast);
            ulong epoch = CommitReveal.CurrentEpoch(e, block);
            int pending = e.Timelocked.Count(t => t.Epoch == epoch && t.Who == c.Signer);
            if (pending >= CommitReveal.MaxUnrevealedCommits)
                return Fail(plan, Codes.TooManyUnrevealedCommits,
                    $"the hotkey already has {pending} timelocked commits of epoch {epoch} on subnet {c.Netuid} (at most {CommitReveal.MaxUnrevealedCommits})");
            e.Timelocked = e.Timelocked.Add(new TimelockedCommit(c.Signer, epoch, block, c.Commit, c.RevealRound));
            await plan.SubnetAsync(c.Netuid, new StoreCommits((ushort)uid, s.Neurons[uid].Commits, block, SetsLastUpdate: true));
            plan.Emit(new ChainEvent
            {
                Kind = EventKinds.TimelockedWeightsCommitted, Hotkey = c.Signer, Netuid = c.Netuid, Uid = (ushort)uid,
                Value = Hashes.Blake2b256Hex(c.Commit), Number = c.RevealRound,
            });
            return Done(plan, netuid: c.Netuid, uid: (ushort)uid);
        }

        /// <summary><c>0x</c> and an even number of hex digits (at most twice <see cref="TimelockCipher.MaxCommitLength"/>).</summary>
        internal static byte[] HexBytes(string text)
        {
            const string rule = "must be \"0x\" and the commit's bytes in hex";
            if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length % 2 != 0 || text.Length > 2 + 2 * TimelockCipher.MaxCommitLength + 2)
                throw new CallFormatException("commit", rule);
            try
            {
                return Convert.FromHexString(text.AsSpan(2));
            }
            catch (FormatException)
            {
                throw new CallFormatException("commit", rule);
            }
        }
    }
}
