using System.Numerics;

namespace Bittensor.Runtime;

/// <summary>
/// The weighted (Balancer) pool of spec §5a as subtensor's <c>pallets/swap/src/pallet/balancer.rs</c> computes it: the TAO
/// (quote) weight <c>w2</c> is a Perquintill (parts of 10¹⁸; the alpha weight is <c>w1 = 10¹⁸ − w2</c>), both at least
/// 0.01. A buy pays out <c>x·(1 − (y/(y+Δy))^(w2/w1))</c> alpha, a sell <c>y·(1 − (x/(x+Δx))^(w1/w2))</c> TAO, with the
/// power taken as <c>floor(10¹⁸·r^(a/b))</c> (<c>pow_ratio_scaled</c>) and the rest in U64F64, truncating. Protocol
/// liquidity re-solves the weights so the price does not move (<see cref="WeightsAfterInjection"/>).
/// </summary>
/// <remarks>
/// Here the power is a 320-bit fixed-point logarithm and exponential, floored to 10⁻¹⁸: the exact floor but for results
/// within ~2⁻²⁵⁰ of a multiple of 10⁻¹⁸. subtensor's <c>safe_bigmath</c> approximates it at a requested precision until its
/// rounded digits converge, so the two can differ by 10⁻¹⁸ in rare cases (about a rao of a swap).
/// </remarks>
public static class WeightedPool
{
    /// <summary>1.0 as a Perquintill.</summary>
    public const ulong Accuracy = 1_000_000_000_000_000_000;

    /// <summary>The starting weight ½ (a constant-product pool).</summary>
    public const ulong Half = Accuracy / 2;

    /// <summary>Lowest weight either side may have (0.01).</summary>
    public const ulong MinWeight = Accuracy / 100;

    private const int P = 320;
    private static readonly BigInteger One = BigInteger.One << P;
    private static readonly BigInteger Ln2 = 2 * Atanh((One) / 3);

    /// <summary>Alpha out for <paramref name="taoIn"/> TAO in (after the fee): <c>floor(x·(1 − e))</c>, e = (y/(y+Δy))^(w2/w1).</summary>
    public static ulong AlphaOut(ulong poolTao, ulong poolAlpha, ulong taoIn, ulong quoteWeight) =>
        Out(poolAlpha, ExpScaled(poolTao, taoIn, quoteWeight, Accuracy - quoteWeight));

    /// <summary>TAO out for <paramref name="alphaIn"/> alpha in (after the fee): <c>floor(y·(1 − e))</c>, e = (x/(x+Δx))^(w1/w2).</summary>
    public static ulong TaoOut(ulong poolTao, ulong poolAlpha, ulong alphaIn, ulong quoteWeight) =>
        Out(poolTao, ExpScaled(poolAlpha, alphaIn, Accuracy - quoteWeight, quoteWeight));

    /// <summary><c>calculate_price</c>: (w1/w2)·(y/x) in U64F64 bits (each quotient truncated), saturating.</summary>
    public static UInt128 PriceBits(ulong poolTao, ulong poolAlpha, ulong quoteWeight)
    {
        if (poolAlpha == 0 || quoteWeight == 0) return 0;
        if (quoteWeight == Half) return ((UInt128)poolTao << 64) / poolAlpha; // ratio exactly 2⁶⁴: the same bits, without big integers
        BigInteger ratio = ((BigInteger)(Accuracy - quoteWeight) << 64) / quoteWeight;
        BigInteger reserves = ((BigInteger)poolTao << 64) / poolAlpha;
        BigInteger bits = ratio * reserves >> 64;
        return bits > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)bits;
    }

    /// <summary>
    /// <c>update_weights_for_added_liquidity</c>: the TAO weight after the protocol adds <paramref name="taoDelta"/> and
    /// <paramref name="alphaDelta"/> at the current price, <c>round(w2·x·(y+Δy)) / (round(w1·y·(x+Δx)) + round(w2·x·(y+Δy)))</c>
    /// as a Perquintill (rounded down); ½ when a reserve is and stays 0; null when either weight would fall below 0.01.
    /// </summary>
    public static ulong? WeightsAfterInjection(ulong poolTao, ulong poolAlpha, ulong taoDelta, ulong alphaDelta, ulong quoteWeight)
    {
        // Nothing added to a ½/½ pool: both rounded terms are the same product halved, so the weight stays exactly ½ (every
        // block of every subnet without root stake comes here).
        if (taoDelta == 0 && alphaDelta == 0 && quoteWeight == Half) return Half;
        UInt128 newTao = (UInt128)poolTao + taoDelta, newAlpha = (UInt128)poolAlpha + alphaDelta;
        BigInteger q1 = MulPerquintillRound(Accuracy - quoteWeight, Saturate((BigInteger)poolTao * (BigInteger)newAlpha));
        BigInteger q2 = MulPerquintillRound(quoteWeight, Saturate((BigInteger)poolAlpha * (BigInteger)newTao));
        BigInteger sum = Saturate(q1 + q2);
        ulong w2 = sum.IsZero ? Half : (ulong)(q2 * Accuracy / sum);
        return w2 >= MinWeight && Accuracy - w2 >= MinWeight ? w2 : null;
    }

    private static BigInteger Saturate(BigInteger v) => BigInteger.Min(v, (BigInteger)UInt128.MaxValue);

    /// <summary><c>mul_perquintill_round</c>: value·p rounded to the nearest integer (halves up), at most u128::MAX.</summary>
    private static BigInteger MulPerquintillRound(ulong parts, BigInteger value) =>
        Saturate((value * parts + Accuracy / 2) / Accuracy);

    /// <summary><c>floor(reserve·(1 − e))</c> with e in U64F64 bits at most 1.</summary>
    private static ulong Out(ulong reserve, UInt128 e) => (ulong)((BigInteger)reserve * ((BigInteger)(UInt128.One << 64) - e) >> 64);

    /// <summary>
    /// <c>exp_scaled</c> for a non-negative delta: <c>min(1, floor(10¹⁸·(x/(x+Δx))^(a/b)) / 10¹⁸)</c> in U64F64 bits (0 when
    /// x+Δx = 0).
    /// </summary>
    private static UInt128 ExpScaled(ulong x, ulong dx, ulong a, ulong b)
    {
        ulong sum = x > ulong.MaxValue - dx ? ulong.MaxValue : x + dx;
        if (sum == 0) return 0;
        BigInteger scaled = PowRatioScaled(x, sum, a, b, Accuracy);
        if (scaled > ulong.MaxValue) return 0;
        UInt128 bits = ((UInt128)(ulong)scaled << 64) / Accuracy;
        return UInt128.Min(bits, UInt128.One << 64);
    }

    /// <summary><c>floor(scale·(num/den)^(a/b))</c> for 0 ≤ num ≤ den, den &gt; 0, b &gt; 0.</summary>
    internal static BigInteger PowRatioScaled(BigInteger num, BigInteger den, BigInteger a, BigInteger b, BigInteger scale)
    {
        if (num.IsZero) return a.IsZero ? scale : BigInteger.Zero;
        if (num == den || a.IsZero) return scale;
        BigInteger t = Ln((num << P) / den) * a / b; // ≤ 0
        return Exp(t) * scale >> P;
    }

    /// <summary>ln of a fixed-point value v (2^-P units), 0 &lt; v ≤ 1: v = m·2^s with m in [1, 2), ln m = 2·atanh((m−1)/(m+1)).</summary>
    private static BigInteger Ln(BigInteger v)
    {
        int s = (int)v.GetBitLength() - 1 - P;
        BigInteger m = s >= 0 ? v >> s : v << -s;
        return 2 * Atanh(((m - One) << P) / (m + One)) + s * Ln2;
    }

    /// <summary>atanh(z) = Σ z^(2k+1)/(2k+1) for a fixed-point 0 ≤ z &lt; 1/2.</summary>
    private static BigInteger Atanh(BigInteger z)
    {
        BigInteger z2 = z * z >> P, power = z, sum = 0;
        for (int k = 0; !power.IsZero; k++)
        {
            sum += power / (2 * k + 1);
            power = power * z2 >> P;
        }
        return sum;
    }

    /// <summary>e^t for a fixed-point t ≤ 0: t = n·ln2 + f with f in [0, ln2), e^f by its Taylor series, then shifted by n.</summary>
    private static BigInteger Exp(BigInteger t)
    {
        BigInteger n = BigInteger.Divide(t, Ln2);
        if (n * Ln2 > t) n -= 1; // floor
        BigInteger f = t - n * Ln2, term = One, sum = One;
        for (int k = 1; !term.IsZero; k++)
        {
            term = term * f / k >> P;
            sum += term;
        }
        int shift = (int)-n;
        return shift >= P + 64 ? BigInteger.Zero : sum >> shift;
    }
}
