namespace Bittensor.Consensus;

/// <summary>
/// When a subnet's epoch runs (dynamic tempo, subtensor commit d30a76f38; spec §7), and the legacy formula.
/// </summary>
public static class EpochSchedule
{
    /// <summary>An epoch is forced when this many blocks pass without one (<c>MAX_TEMPO</c>).</summary>
    public const ulong MaxTempo = 50_400;

    /// <summary>Smallest tempo an owner may set (<c>MIN_TEMPO</c>).</summary>
    public const ulong MinTempo = 360;

    /// <summary>Blocks between an owner's <c>trigger_epoch</c> and the epoch (<c>AdminFreezeWindow</c>).</summary>
    public const ulong AdminFreezeWindow = 10;

    /// <summary>
    /// <c>should_run_epoch</c>: never when tempo is 0; when a triggered epoch is due (<paramref name="pendingEpochAt"/> &gt; 0
    /// and reached); when more than <see cref="MaxTempo"/> blocks passed since the last step; else when
    /// <c>block − lastEpochBlock ≥ tempo</c>.
    /// </summary>
    public static bool ShouldRunEpoch(ulong tempo, ulong block, ulong lastEpochBlock, ulong pendingEpochAt = 0, ulong blocksSinceLastStep = 0)
    {
        if (tempo == 0) return false;
        if (pendingEpochAt > 0 && block >= pendingEpochAt) return true;
        if (blocksSinceLastStep > MaxTempo) return true;
        return SatSub(block, lastEpochBlock) >= tempo;
    }

    /// <summary><c>blocks_until_next_auto_epoch</c>: <see cref="ulong.MaxValue"/> for tempo 0, else max(0, lastEpochBlock + tempo − block).</summary>
    public static ulong BlocksUntilNextAutoEpoch(ulong tempo, ulong block, ulong lastEpochBlock) =>
        tempo == 0 ? ulong.MaxValue : SatSub(SatAdd(lastEpochBlock, tempo), block);

    /// <summary><c>get_next_epoch_start_block</c>: min(lastEpochBlock + tempo, pendingEpochAt when &gt; 0).</summary>
    public static ulong NextEpochStartBlock(ulong tempo, ulong lastEpochBlock, ulong pendingEpochAt = 0)
    {
        ulong auto = SatAdd(lastEpochBlock, tempo);
        return pendingEpochAt > 0 ? Math.Min(auto, pendingEpochAt) : auto;
    }

    /// <summary>
    /// <c>LastEpochBlock</c> of a subnet created at <paramref name="block"/>: block − (netuid mod max(tempo, 1)),
    /// which staggers subnets' epochs.
    /// </summary>
    public static ulong InitialLastEpochBlock(ushort netuid, ulong tempo, ulong block) =>
        SatSub(block, netuid % Math.Max(tempo, 1UL));

    /// <summary>
    /// The legacy schedule (before dynamic tempo): <c>tempo − ((block + netuid + 1) mod (tempo + 1))</c>, period tempo + 1;
    /// <see cref="ulong.MaxValue"/> for tempo 0.
    /// </summary>
    public static ulong LegacyBlocksUntilNextEpoch(ushort netuid, ulong tempo, ulong block)
    {
        if (tempo == 0) return ulong.MaxValue;
        UInt128 m = ((UInt128)block + netuid + 1) % ((UInt128)tempo + 1);
        return tempo - (ulong)m;
    }

    private static ulong SatSub(ulong a, ulong b) => a > b ? a - b : 0;

    private static ulong SatAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
