using Bittensor.Consensus.Fixed;

namespace Bittensor.Consensus;

/// <summary>
/// The O(n) start of every epoch (spec §3.1–3.4), computed bit-exactly for all back ends: activity,
/// normalized stake, validator permits and normalized active stake (I32F32 bits).
/// </summary>
internal sealed class EpochPrelude
{
    public required ulong[] LastUpdate { get; init; }
    public required bool[] Active { get; init; }
    public required long[] Stake { get; init; }
    public required bool[] PermitOld { get; init; }
    public required bool[] PermitNew { get; init; }
    public required long[] ActiveStake { get; init; }
    public required ulong LastTempo { get; init; }

    public static EpochPrelude Compute(EpochParameters p, EpochInput x)
    {
        int n = x.N;
        int owner = p.OwnerUid ?? -1;
        ulong cutoff = p.ActivityCutoffBlocks;
        ulong[] lastUpdate = EpochMasks.PadLastUpdate(x.LastUpdate, n);
        var active = new bool[n];
        for (int i = 0; i < n; i++) active[i] = !(SatAdd(lastUpdate[i], cutoff) < x.Block);

        // Threshold (owner exempt), then S_i = floor(stake_i·2^32 / Σ): I64F64 normalization truncated to I32F32. A stake
        // is held in 2^-32 rao (its fraction from tao_weight·root), which leaves the quotient as I64F64 computes it.
        var filtered = new UInt128[n];
        UInt128 sum = 0, threshold = (UInt128)p.StakeThreshold << 32;
        for (int i = 0; i < n; i++)
        {
            UInt128 s = ((UInt128)x.Stake[i] << 32) | (x.StakeFraction is { } fraction ? fraction[i] : 0u);
            if (i != owner && s < threshold) s = 0;
            filtered[i] = s;
            sum += s;
        }
        var stake = new long[n];
        if (sum != 0)
            for (int i = 0; i < n; i++) stake[i] = (long)((filtered[i] << 32) / sum);

        bool[] permitOld = (bool[])x.ValidatorPermit.Clone();
        if (owner >= 0) permitOld[owner] = true;
        bool[] permitNew = EpochMasks.TopKNonZero(stake, p.MaxAllowedValidators);
        if (owner >= 0) permitNew[owner] = true;

        var activeStake = new long[n];
        for (int i = 0; i < n; i++) activeStake[i] = active[i] && permitOld[i] ? stake[i] : 0;
        FixedVector.Normalize(activeStake);

        return new EpochPrelude
        {
            LastUpdate = lastUpdate,
            Active = active,
            Stake = stake,
            PermitOld = permitOld,
            PermitNew = permitNew,
            ActiveStake = activeStake,
            LastTempo = x.LastMechanismStepBlock == 0
                ? (x.Block > p.Tempo ? x.Block - p.Tempo : 0)
                : x.LastMechanismStepBlock + 1,
        };
    }

    private static ulong SatAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
