namespace Bittensor.Consensus.Fixed;

/// <summary>substrate-fixed's <c>exp</c> and subtensor's <c>exp_safe</c> on I32F32 bits (spec §2).</summary>
public static class FixedExp
{
    /// <summary>e truncated to I9F23 (2.71828174…), widened to I32F32.</summary>
    public const long E = 22802600L << 9;

    /// <summary>
    /// <c>exp</c>: 1 if x = 0; <see cref="E"/> if x = 1; else 1 + |x| + Σ_{i=2}^{31} term_i with
    /// term_i = trunc(floor(term_{i−1}·|x|) / i); for x &lt; 0 the reciprocal. <c>null</c> on overflow.
    /// </summary>
    public static long? Exp(long x)
    {
        if (x == 0) return I32F32.One;
        if (x == I32F32.One) return E;
        if (x == long.MinValue || (x < 0 ? -x : x) > long.MaxValue - I32F32.One) return null;
        long operand = x < 0 ? -x : x;
        long acc = operand + I32F32.One;
        long term = operand;
        for (int i = 2; i < I32F32.FracBits; i++)
        {
            long? t = I32F32.CheckedMul(term, operand);
            if (t is null) return null;
            term = t.Value / i; // dividing by an integer in I32F32 is an integer division of the bits (truncating)
            long sum = unchecked(acc + term);
            if (((acc ^ sum) & (term ^ sum)) < 0) return null;
            acc = sum;
        }
        return x < 0 ? I32F32.CheckedDiv(I32F32.One, acc) : acc;
    }

    /// <summary><c>exp_safe</c>: clamps x to [−20, 20]; on overflow 0 for x ≤ 0, else the I32F32 maximum.</summary>
    public static long ExpSafe(long x)
    {
        long min = I32F32.FromInt(-20), max = I32F32.FromInt(20);
        long safe = x < min ? min : x > max ? max : x;
        return Exp(safe) ?? (safe <= 0 ? 0 : long.MaxValue);
    }
}
