using Bittensor.Consensus.Exact;
using Bittensor.Consensus.Fast;
using Bittensor.Consensus.Naive;

namespace Bittensor.Consensus;

/// <summary>
/// Runs one Yuma Consensus epoch (subtensor @ 14bc6f9f, <c>epoch_mechanism</c>) on one of the arithmetic back ends.
/// </summary>
public static class YumaEpoch
{
    /// <summary>Largest subnet the engine accepts (UIDs are u16 on chain).</summary>
    public const int MaxUids = ushort.MaxValue;

    /// <summary>Validates the input, then computes the epoch.</summary>
    /// <exception cref="ArgumentException">An input is malformed; the message names the argument and the rule.</exception>
    public static EpochResult Run(EpochParameters parameters, EpochInput input, Arithmetic arithmetic = Arithmetic.Exact)
    {
        Validate(parameters, input);
        return arithmetic switch
        {
            Arithmetic.Exact => ExactEpoch.Run(parameters, input),
            Arithmetic.Fast => DenseEpoch.Run(parameters, input),
            Arithmetic.Naive => NaiveEpoch.Run(parameters, input),
            _ => throw new ArgumentOutOfRangeException(nameof(arithmetic), arithmetic, "unknown arithmetic back end"),
        };
    }

    /// <summary>Checks every length, index and sum the epoch relies on.</summary>
    public static void Validate(EpochParameters parameters, EpochInput input)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(input);
        int n = input.N;
        if (n < 1 || n > MaxUids) throw new ArgumentOutOfRangeException(nameof(input), n, $"n must be in 1..{MaxUids}");
        RequireLength(input.Stake, n, "stake");
        RequireLength(input.ValidatorPermit, n, "validator_permit");
        RequireLength(input.BlockAtRegistration, n, "block_at_registration");
        ArgumentNullException.ThrowIfNull(input.LastUpdate, "last_update");
        if (input.CommitBlocks is not null) RequireLength(input.CommitBlocks, n, "commit_blocks");
        if (input.StakeFraction is not null) RequireLength(input.StakeFraction, n, "stake_frac");
        ArgumentNullException.ThrowIfNull(input.Weights, "weights");
        ArgumentNullException.ThrowIfNull(input.Bonds, "bonds");
        if (input.Weights.Rows != n) throw new ArgumentException($"weights has {input.Weights.Rows} rows; n is {n}", "weights");
        if (input.Bonds.Rows != n) throw new ArgumentException($"bonds has {input.Bonds.Rows} rows; n is {n}", "bonds");
        UInt128 total = 0;
        foreach (ulong s in input.Stake) total += s;
        if (total > (UInt128)long.MaxValue) throw new ArgumentException("stake: the total exceeds 2^63 − 1 rao (I64F64 range)", "stake");
        if (parameters.OwnerUid is int owner && (owner < 0 || owner >= n))
            throw new ArgumentOutOfRangeException("owner_uid", owner, $"owner_uid must be a registered UID in 0..{n - 1}");
        if (parameters.AlphaLow > parameters.AlphaHigh)
            throw new ArgumentException($"alpha_low ({parameters.AlphaLow}) exceeds alpha_high ({parameters.AlphaHigh})", "alpha_low");
    }

    private static void RequireLength<T>(T[]? values, int n, string name)
    {
        if (values is null) throw new ArgumentNullException(name);
        if (values.Length != n) throw new ArgumentException($"{name} has length {values.Length}; n is {n}", name);
    }
}
