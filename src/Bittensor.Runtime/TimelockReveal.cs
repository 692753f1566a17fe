using System.Collections.Immutable;
using Bittensor.Keys;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor.Runtime;

/// <summary>
/// The block step's reveal of timelocked weights (subtensor <c>coinbase/reveal_commits.rs</c>,
/// <c>reveal_crv3_commits_for_subnet</c>): in every block of epoch <c>e + commit_reveal_period</c> the commits of epoch
/// <c>e</c> whose beacon round is published are decrypted and set as weights (the neuron's <c>last_update</c> stays the
/// commit's block); commits whose round is not published yet wait for a later block of that epoch; commits of older
/// epochs are dropped. A commit that does not decrypt, does not decode, names another hotkey or breaks set_weights' rules
/// is dropped, and the chain goes on.
/// </summary>
public static class TimelockReveal
{
    /// <summary>The <c>commit_reveal_version</c> the chain reads (subtensor's <c>CommitRevealWeightsVersion</c>, 4).</summary>
    public const ushort CommitRevealVersion = 4;

    /// <summary>
    /// Reveals what is due at the plan's block (called after <see cref="ChainRuntime.StepBlock"/> advanced it), then gives
    /// each epoch starting now the timelocked commits still queued, for its commit-reveal mask.
    /// </summary>
    public static async ValueTask RunAsync(ChainPlan plan, List<EpochStart> starts)
    {
        await RevealAsync(plan);
        for (int k = 0; k < starts.Count; k++)
            if (plan.Economy(starts[k].Netuid) is { } e && CommitReveal.TimelockedCommitBlocks(e, starts[k].Index + 1) is { } blocks)
                starts[k] = starts[k] with { TimelockedCommitBlocks = blocks };
    }

    private static async ValueTask RevealAsync(ChainPlan plan)
    {
        ulong block = plan.Chain.Block;
        IRandomnessBeacon? beacon = null;
        foreach (var e in plan.Chain.OrderedList())
        {
            if (e.Timelocked.IsEmpty) continue;
            ulong period = e.Hyper.CommitRevealPeriod;
            ulong current = CommitReveal.CurrentEpoch(e, block);
            ulong revealEpoch = current - Math.Min(current, period);
            var keep = ImmutableArray.CreateBuilder<TimelockedCommit>();
            foreach (var c in e.Timelocked)
            {
                if (c.Epoch < revealEpoch) continue; // expired
                if (c.Epoch > revealEpoch || current < period) { keep.Add(c); continue; }
                beacon ??= HashChainBeacon.For(plan.Rules);
                // A round not published (or whose key does not verify against the anchor) is retried in a later block.
                if (beacon.RoundSecret(c.RevealRound, block) is not { } secret || !HashChainBeacon.Verify(beacon.Anchor, c.RevealRound, secret))
                {
                    keep.Add(c);
                    continue;
                }
                await ApplyAsync(plan, e.Netuid, c, secret);
            }
            if (keep.Count != e.Timelocked.Length) e.Timelocked = keep.ToImmutable();
        }
    }

    private static async ValueTask ApplyAsync(ChainPlan plan, ushort netuid, TimelockedCommit c, byte[] secret)
    {
        if (TimelockCipher.TryDecrypt(secret, c.RevealRound, c.Commit) is not { } plaintext) return;
        if (TimelockPayload.TryDecode(plaintext) is not { } payload) return;
        if (!payload.Hotkey.AsSpan().SequenceEqual(WeightCommitHash.AccountId(c.Who))) return;
        if (await plan.SubnetAsync(netuid) is not { } s) return;
        var weights = RevealWeightsCall.ToSetWeights(c.Who, netuid, [.. payload.Uids], [.. payload.Values], payload.VersionKey);
        if (await SetWeightsCall.StoreAsync(plan, s, weights, reveal: true) is not null) return;
        plan.Emit(new ChainEvent { Kind = EventKinds.TimelockedWeightsRevealed, Hotkey = c.Who, Netuid = netuid, Uid = (ushort)s.UidOf(c.Who) });
    }
}
