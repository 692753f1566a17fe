namespace Bittensor.Consensus;

/// <summary>
/// Subnet hyperparameters read by the epoch (spec §1, §9). Defaults are those of a newly created mainnet
/// subnet (<c>init_new_network</c>): tempo 360, Yuma 3 on, 64 validators, commit-reveal on.
/// </summary>
public sealed record EpochParameters
{
    /// <summary>Blocks per epoch.</summary>
    public ulong Tempo { get; init; } = 360;

    /// <summary>Consensus majority, raw u16 (÷65535). Default 32767 ≈ 0.5.</summary>
    public ushort Kappa { get; init; } = 32767;

    /// <summary>Bonds EMA retention per 10^6 (α_ema = 1 − BMA/10^6). Default 900 000.</summary>
    public ulong BondsMovingAverage { get; init; } = 900_000;

    /// <summary>Bonds penalty, raw u16 (÷65535). Default 65535 (bond to clipped weights).</summary>
    public ushort BondsPenalty { get; init; } = 65535;

    /// <summary>Top-k stake holders that get a validator permit.</summary>
    public ushort MaxAllowedValidators { get; init; } = 64;

    /// <summary>Activity cutoff as per-mille of tempo (cutoff = max(1, floor(factor·tempo/1000)) blocks).</summary>
    public ulong ActivityCutoffFactorMilli { get; init; } = 13_889;

    /// <summary>Activity cutoff in blocks; when set it overrides <see cref="ActivityCutoffFactorMilli"/>.</summary>
    public ulong? ActivityCutoff { get; init; }

    /// <summary>Yuma 3 bonds (u16 proportions) instead of classic column-max-upscaled bonds.</summary>
    public bool Yuma3 { get; init; } = true;

    /// <summary>Liquid alpha (per-entry sigmoid EMA coefficient, Yuma 3 only).</summary>
    public bool LiquidAlpha { get; init; }

    /// <summary>Liquid alpha lower bound, raw u16 (÷65535).</summary>
    public ushort AlphaLow { get; init; } = 45_875;

    /// <summary>Liquid alpha upper bound, raw u16 (÷65535).</summary>
    public ushort AlphaHigh { get; init; } = 58_982;

    /// <summary>Liquid alpha sigmoid steepness (raw i16).</summary>
    public short AlphaSigmoidSteepness { get; init; } = 1000;

    /// <summary>Minimum stake (rao) for a UID's stake to count; the owner is exempt.</summary>
    public ulong StakeThreshold { get; init; }

    /// <summary>UID of the subnet owner's hotkey, if registered.</summary>
    public int? OwnerUid { get; init; }

    /// <summary>Commit-reveal weights enabled (applies the commit-block mask of spec §3.5 step 5).</summary>
    public bool CommitReveal { get; init; } = true;

    /// <summary>Alpha to distribute in this epoch, rao (pending server + validator + root; owner cut excluded).</summary>
    public ulong RaoEmission { get; init; } = 1_000_000_000;

    /// <summary>The activity cutoff in blocks that the epoch uses (spec §1).</summary>
    public ulong ActivityCutoffBlocks =>
        ActivityCutoff ?? Math.Max(1UL, (ulong)(((UInt128)ActivityCutoffFactorMilli * Tempo) / 1000));
}
