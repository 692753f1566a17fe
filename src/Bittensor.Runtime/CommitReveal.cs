using System.Collections.Immutable;
using Bittensor.Consensus;

namespace Bittensor.Runtime;

/// <summary>
/// Commit-reveal v2's clock (subtensor <c>subnets/weights.rs</c>): commits are tagged with the subnet's epoch index (plus
/// one when an epoch is due this block); a commit of epoch <c>e</c> is revealed exactly in epoch <c>e + period</c>
/// (<c>is_reveal_block_range</c>) and expires after it (<c>is_commit_expired</c>).
/// </summary>
public static class CommitReveal
{
    /// <summary>Unexpired commits a hotkey may hold on a subnet (subtensor's constant 10).</summary>
    public const int MaxUnrevealedCommits = 10;

    /// <summary>Reveals in one <c>batch_reveal_weights</c> (a call's size stays bounded; a hotkey never holds more commits).</summary>
    public const int MaxBatch = MaxUnrevealedCommits;

    /// <summary><c>current_epoch_with_lookahead</c>: the subnet's epoch index, plus one when its epoch is due at <paramref name="block"/>.</summary>
    public static ulong CurrentEpoch(SubnetEconomy e, ulong block) =>
        e.EpochIndex + (EpochSchedule.ShouldRunEpoch(e.Hyper.Tempo, block, e.LastEpochBlock, e.PendingEpochAt, e.BlocksSinceLastStep) ? 1UL : 0UL);

    /// <summary>The epoch in which a commit of <paramref name="commitEpoch"/> is revealed.</summary>
    public static ulong RevealEpoch(ulong commitEpoch, ulong period) => SatAdd(commitEpoch, period);

    /// <summary><c>is_commit_expired</c>: the reveal epoch has passed.</summary>
    public static bool IsExpired(ulong commitEpoch, ulong currentEpoch, ulong period) => currentEpoch > RevealEpoch(commitEpoch, period);

    /// <summary><c>is_reveal_block_range</c>: this is the reveal epoch.</summary>
    public static bool IsRevealEpoch(ulong commitEpoch, ulong currentEpoch, ulong period) => currentEpoch == RevealEpoch(commitEpoch, period);

    /// <summary>The unexpired tail of a queue: expired commits are dropped from its front (the queue is in epoch order).</summary>
    public static (ImmutableArray<WeightCommit> Live, ImmutableArray<WeightCommit> Expired) Prune(ImmutableArray<WeightCommit> queue, ulong currentEpoch, ulong period)
    {
        int k = 0;
        while (k < queue.Length && IsExpired(queue[k].Epoch, currentEpoch, period)) k++;
        return (queue[k..], queue[..k]);
    }

    /// <summary>
    /// The epoch's commit-reveal mask input (spec yuma §3.5 step 5): per UID the block of its first unexpired commit in
    /// <paramref name="currentEpoch"/>, <see cref="ulong.MaxValue"/> when it has none.
    /// </summary>
    public static ulong[] CommitBlocks(IReadOnlyList<Neuron> neurons, ulong currentEpoch, ulong period)
    {
        var blocks = new ulong[neurons.Count];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = ulong.MaxValue;
            foreach (var c in neurons[i].Commits)
            {
                if (IsExpired(c.Epoch, currentEpoch, period)) continue;
                blocks[i] = c.Block;
                break;
            }
        }
        return blocks;
    }

    /// <summary>
    /// <see cref="CommitBlocks(IReadOnlyList{Neuron}, ulong, ulong)"/> with the timelocked commits too: per UID the earlier of its
    /// first unexpired hash commit and its earliest unexpired timelocked commit (<paramref name="timelocked"/>, by hotkey).
    /// </summary>
    public static ulong[] CommitBlocks(SubnetState s, ulong currentEpoch, ulong period, IReadOnlyDictionary<string, ulong>? timelocked)
    {
        var blocks = CommitBlocks(s.Neurons, currentEpoch, period);
        foreach (var (hotkey, block) in timelocked ?? ImmutableDictionary<string, ulong>.Empty)
            if (s.UidOf(hotkey) is var uid and >= 0) blocks[uid] = Math.Min(blocks[uid], block);
        return blocks;
    }

    /// <summary>Per hotkey, the block of its earliest timelocked commit on <paramref name="e"/> unexpired in <paramref name="currentEpoch"/>; null when none.</summary>
    public static ImmutableDictionary<string, ulong>? TimelockedCommitBlocks(SubnetEconomy e, ulong currentEpoch)
    {
        ImmutableDictionary<string, ulong>.Builder? blocks = null;
        foreach (var c in e.Timelocked)
        {
            if (IsExpired(c.Epoch, currentEpoch, e.Hyper.CommitRevealPeriod)) continue;
            blocks ??= ImmutableDictionary.CreateBuilder<string, ulong>(StringComparer.Ordinal);
            blocks[c.Who] = blocks.TryGetValue(c.Who, out ulong b) ? Math.Min(b, c.Block) : c.Block;
        }
        return blocks?.ToImmutable();
    }

    private static ulong SatAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
