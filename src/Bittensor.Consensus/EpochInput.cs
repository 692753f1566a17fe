namespace Bittensor.Consensus;

/// <summary>
/// The per-UID state an epoch reads (spec §1), for a subnet of <see cref="N"/> UIDs.
/// </summary>
public sealed class EpochInput
{
    /// <summary>Number of UIDs (<c>SubnetworkN</c>), at least 1.</summary>
    public required int N { get; init; }

    /// <summary>Current block.</summary>
    public required ulong Block { get; init; }

    /// <summary>Stake weight per UID in rao (alpha + tao_weight·root, inherited), length N.</summary>
    public required ulong[] Stake { get; init; }

    /// <summary>
    /// The fractional part of each stake in 2⁻³² rao, or null when every stake is whole (subtensor's stake weight is an
    /// I64F64: <c>tao_weight·root_tao</c> has a fraction that takes part in the normalization and the threshold).
    /// </summary>
    public uint[]? StakeFraction { get; init; }

    /// <summary>Stored weights, N rows, max-upscaled u16 as written by set_weights. Columns ≥ N are ignored, as on chain.</summary>
    public required SparseMatrix Weights { get; init; }

    /// <summary>Stored bonds, N rows (classic: column-max-upscaled u16; Yuma 3: u16 proportions). Columns ≥ N are ignored.</summary>
    public required SparseMatrix Bonds { get; init; }

    /// <summary>Validator permits from the previous epoch, length N.</summary>
    public required bool[] ValidatorPermit { get; init; }

    /// <summary>Block of each UID's last weight update. Padded with 0 (or truncated) to N, as <c>get_last_update</c> does.</summary>
    public required ulong[] LastUpdate { get; init; }

    /// <summary>Block at which each UID was (re)registered, length N.</summary>
    public required ulong[] BlockAtRegistration { get; init; }

    /// <summary>Block of the last distributed epoch (<c>LastMechansimStepBlock</c>); 0 if never.</summary>
    public ulong LastMechanismStepBlock { get; init; }

    /// <summary>Per UID the earliest unexpired commit block (<see cref="ulong.MaxValue"/> = none); used only with commit-reveal. Null = none for all.</summary>
    public ulong[]? CommitBlocks { get; init; }
}
