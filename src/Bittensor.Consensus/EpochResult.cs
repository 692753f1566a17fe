namespace Bittensor.Consensus;

/// <summary>Per-UID outputs of one epoch (<c>EpochTerms</c>, spec §3.8), all of length N.</summary>
public sealed class EpochResult
{
    /// <summary>Normalized stake, u16 proportion of 65535.</summary>
    public required ushort[] StakeWeight { get; init; }

    /// <summary>Whether the UID set weights within the activity cutoff.</summary>
    public required bool[] Active { get; init; }

    /// <summary>Stake-weighted median weight per column, u16 proportion.</summary>
    public required ushort[] Consensus { get; init; }

    /// <summary>Normalized clipped rank, u16 proportion.</summary>
    public required ushort[] Incentive { get; init; }

    /// <summary>Normalized dividends, u16 proportion.</summary>
    public required ushort[] Dividends { get; init; }

    /// <summary>Sum of the UID's clipped weights, u16 proportion.</summary>
    public required ushort[] ValidatorTrust { get; init; }

    /// <summary>Validator permits for the next epoch (top-k by stake).</summary>
    public required bool[] ValidatorPermit { get; init; }

    /// <summary>Miner emission, rao.</summary>
    public required ulong[] ServerEmission { get; init; }

    /// <summary>Validator emission, rao.</summary>
    public required ulong[] ValidatorEmission { get; init; }

    /// <summary>Combined emission (the stored <c>Emission</c>), rao.</summary>
    public required ulong[] Emission { get; init; }

    /// <summary>Bonds to store for the next epoch: the new row for permit holders, empty rows for everyone else.</summary>
    public required SparseMatrix Bonds { get; init; }
}
