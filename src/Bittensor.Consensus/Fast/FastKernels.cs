namespace Bittensor.Consensus.Fast;

/// <summary>
/// Public single-precision kernels of the fast path, for simulations and what-if runs on arbitrary (float)
/// weights: stake-weighted consensus and normalization. Inputs are validated: lengths must match and values must
/// be finite and non-negative.
/// </summary>
public static class FastKernels
{
    /// <summary>
    /// Stake-weighted median of <paramref name="scores"/>: the smallest score w with stake(score ≤ w) &gt; Σstake − κ
    /// (Yuma's consensus for one miner); rows with zero stake do not vote; 0 when nobody votes.
    /// </summary>
    /// <param name="scores">One score per validator (a column of row-normalized weights).</param>
    /// <param name="stake">One stake per validator (any scale; normalized internally).</param>
    /// <param name="kappa">Majority fraction in [0, 1] (0.5 on chain).</param>
    /// <remarks>Effectively computes <c>C = weighted median over i of scores[i] with stake[i]</c>.</remarks>
    public static float StakeWeightedMedian(ReadOnlySpan<float> scores, ReadOnlySpan<float> stake, float kappa)
    {
        if (scores.Length != stake.Length) throw new ArgumentException($"scores has length {scores.Length}, stake has {stake.Length}", nameof(stake));
        RequireFiniteNonNegative(scores, nameof(scores));
        RequireFiniteNonNegative(stake, nameof(stake));
        if (!(kappa >= 0 && kappa <= 1)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "kappa must be in [0, 1]");
        var s = new List<float>();
        var u = new List<float>();
        double total = 0;
        for (int i = 0; i < stake.Length; i++)
        {
            if (stake[i] <= 0) continue;
            s.Add(scores[i]);
            u.Add(stake[i]);
            total += stake[i];
        }
        if (s.Count == 0) return 0;
        var norm = u.Select(x => (float)(x / total)).ToArray();
        double sum = norm.Sum(x => (double)x);
        return DenseEpoch.WeightedMedian(s.ToArray(), norm, sum - kappa, sum, new float[s.Count], new float[s.Count]);
    }

    /// <summary>
    /// Consensus for every column of a row-major (stake.Length × <paramref name="columns"/>) weight matrix
    /// (rows are validators, already row-normalized) into <paramref name="consensus"/>.
    /// </summary>
    public static void ColumnConsensus(ReadOnlySpan<float> weights, int columns, ReadOnlySpan<float> stake, float kappa, Span<float> consensus)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (weights.Length != stake.Length * columns)
            throw new ArgumentException($"weights has {weights.Length} values; expected stake.Length × columns = {stake.Length * columns}", nameof(weights));
        if (consensus.Length != columns) throw new ArgumentException($"consensus has length {consensus.Length}; columns is {columns}", nameof(consensus));
        RequireFiniteNonNegative(weights, nameof(weights));
        var column = new float[stake.Length];
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < stake.Length; i++) column[i] = weights[i * columns + j];
            consensus[j] = StakeWeightedMedian(column, stake, kappa);
        }
    }

    /// <summary>Divides every element by the sum (SIMD), leaving an all-zero vector unchanged.</summary>
    public static void Normalize(Span<float> values)
    {
        RequireFiniteNonNegative(values, nameof(values));
        float sum = System.Numerics.Tensors.TensorPrimitives.Sum<float>(values);
        if (sum != 0) System.Numerics.Tensors.TensorPrimitives.Divide(values, sum, values);
    }

    private static void RequireFiniteNonNegative(ReadOnlySpan<float> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]) || values[i] < 0)
                throw new ArgumentOutOfRangeException(name, values[i], $"{name}[{i}] must be finite and non-negative");
    }
}
