using Bittensor.Consensus.Fixed;

namespace Bittensor.Runtime;

/// <summary>
/// The subnet pool (spec §5a). Every new pool starts at weights ½/½ — constant product, computed exactly as
/// <c>floor(x·Δy/(y+Δy))</c> — and protocol liquidity injected each block re-solves the TAO weight
/// (<see cref="SubnetEconomy.QuoteWeight"/>); off ½ a swap takes the weighted formulas of <see cref="WeightedPool"/>.
/// </summary>
public static class PoolMath
{
    /// <summary>Swap fee, u16 proportion of the input (<c>FeeRate</c> 33 ≈ 0.05%); the fee stays in the pool.</summary>
    public const ulong FeeRate = 33;

    /// <summary>The weight ½ of a constant-product pool (Perquintill parts).</summary>
    public const ulong Half = WeightedPool.Half;

    public static ulong Fee(ulong amount, ulong feeRate = FeeRate) => (ulong)((UInt128)amount * feeRate / 65535);

    /// <summary>Alpha out for <paramref name="taoIn"/> TAO in (fee taken from the input first): floor(x·Δy/(y+Δy)) at ½/½.</summary>
    public static ulong AlphaOut(ulong poolTao, ulong poolAlpha, ulong taoIn, ulong feeRate = FeeRate, ulong quoteWeight = Half)
    {
        ulong net = taoIn - Fee(taoIn, feeRate);
        if (net == 0 || poolAlpha == 0) return 0;
        if (quoteWeight != Half) return WeightedPool.AlphaOut(poolTao, poolAlpha, net, quoteWeight);
        return (ulong)((UInt128)poolAlpha * net / ((UInt128)poolTao + net));
    }

    /// <summary>TAO out for <paramref name="alphaIn"/> alpha in (fee taken from the input first): floor(y·Δx/(x+Δx)) at ½/½.</summary>
    public static ulong TaoOut(ulong poolTao, ulong poolAlpha, ulong alphaIn, ulong feeRate = FeeRate, ulong quoteWeight = Half)
    {
        ulong net = alphaIn - Fee(alphaIn, feeRate);
        if (net == 0 || poolTao == 0) return 0;
        if (quoteWeight != Half) return WeightedPool.TaoOut(poolTao, poolAlpha, net, quoteWeight);
        return (ulong)((UInt128)poolTao * net / ((UInt128)poolAlpha + net));
    }

    /// <summary>Price in rao of TAO per 1 alpha (10^9 alpha rao): y/x·10^9 at ½/½, (w1/w2)·(y/x)·10^9 otherwise.</summary>
    public static ulong PriceRao(ulong poolTao, ulong poolAlpha, ulong quoteWeight = Half) =>
        poolAlpha == 0 ? 0
        : quoteWeight == Half ? Saturating.ToU64((UInt128)poolTao * Tao.Rao / poolAlpha)
        : Saturating.ToU64((UInt128)(System.Numerics.BigInteger.Min((System.Numerics.BigInteger)WeightedPool.PriceBits(poolTao, poolAlpha, quoteWeight) * Tao.Rao >> 64, (System.Numerics.BigInteger)UInt128.MaxValue)));

    /// <summary>Price as TAO per alpha.</summary>
    public static double Price(ulong poolTao, ulong poolAlpha, ulong quoteWeight = Half) =>
        poolAlpha == 0 ? 0
        : quoteWeight == Half ? (double)poolTao / poolAlpha
        : (double)(WeightedPool.Accuracy - quoteWeight) / quoteWeight * poolTao / poolAlpha;

    /// <summary>Price (rao per alpha) after buying with <paramref name="taoIn"/> TAO; the pool keeps the whole input (fee included).</summary>
    public static ulong PriceAfterBuy(ulong poolTao, ulong poolAlpha, ulong taoIn, ulong feeRate = FeeRate, ulong quoteWeight = Half) =>
        PriceRao(poolTao + taoIn, poolAlpha - AlphaOut(poolTao, poolAlpha, taoIn, feeRate, quoteWeight), quoteWeight);

    /// <summary>Price (rao per alpha) after selling <paramref name="alphaIn"/> alpha; the pool keeps the whole input (fee included).</summary>
    public static ulong PriceAfterSell(ulong poolTao, ulong poolAlpha, ulong alphaIn, ulong feeRate = FeeRate, ulong quoteWeight = Half) =>
        PriceRao(poolTao - TaoOut(poolTao, poolAlpha, alphaIn, feeRate, quoteWeight), poolAlpha + alphaIn, quoteWeight);

    /// <summary>
    /// The most TAO (at most <paramref name="cap"/>) a buy may put in before the price passes <paramref name="limitPrice"/>
    /// (rao per alpha): <c>get_max_amount_add</c>, found exactly on this pool's own rounding.
    /// </summary>
    public static ulong MaxBuy(ulong poolTao, ulong poolAlpha, ulong limitPrice, ulong cap, ulong quoteWeight = Half) =>
        Largest(Math.Min(cap, ulong.MaxValue - poolTao), t => PriceAfterBuy(poolTao, poolAlpha, t, quoteWeight: quoteWeight) <= limitPrice);

    /// <summary>The most alpha (at most <paramref name="cap"/>) a sell may put in before the price falls below <paramref name="limitPrice"/>: <c>get_max_amount_remove</c>.</summary>
    public static ulong MaxSell(ulong poolTao, ulong poolAlpha, ulong limitPrice, ulong cap, ulong quoteWeight = Half) =>
        Largest(Math.Min(cap, ulong.MaxValue - poolAlpha), a => PriceAfterSell(poolTao, poolAlpha, a, quoteWeight: quoteWeight) >= limitPrice);

    /// <summary>
    /// The largest amount in 0..<paramref name="cap"/> that <paramref name="ok"/> accepts, where <paramref name="ok"/> is monotone
    /// (accepts every amount below one it accepts): a bisection, at most 64 probes. 0 when it accepts none above 0.
    /// </summary>
    public static ulong Largest(ulong cap, Func<ulong, bool> ok)
    {
        if (ok(cap)) return cap;
        ulong lo = 0, hi = cap; // ok(hi) is false; lo is the best found so far
        while (hi - lo > 1)
        {
            ulong mid = lo + (hi - lo) / 2;
            if (ok(mid)) lo = mid; else hi = mid;
        }
        return lo;
    }
}

/// <summary>Registration burn price dynamics (spec §8).</summary>
public static class BurnMath
{
    /// <summary>2^(−1/360) in 32.32 fixed point: the per-block decay with a 360-block half-life.</summary>
    private static readonly ulong Decay = (ulong)Math.Round(Math.Pow(2, -1.0 / 360) * 4294967296.0);

    public static ulong DecayOneBlock(ulong burn, SubnetHyperparameters h) =>
        Clamp((ulong)(((UInt128)burn * Decay) >> 32), h);

    /// <summary>After a registration the burn rises by 1.26×.</summary>
    public static ulong AfterRegistration(ulong burn, SubnetHyperparameters h) =>
        Clamp(Saturating.ToU64((UInt128)burn * 126 / 100), h);

    public static ulong Clamp(ulong burn, SubnetHyperparameters h) => Math.Clamp(burn, h.MinBurn, Math.Max(h.MinBurn, h.MaxBurn));
}

/// <summary>Network lock cost (<c>get_network_lock_cost</c>): doubles per creation, decays linearly, at least the minimum.</summary>
public static class LockCost
{
    public static ulong At(ulong block, ulong lastLock, ulong lastLockBlock, ChainRules o)
    {
        ulong mult = lastLockBlock == 0 ? 1UL : 2UL;
        UInt128 doubled = (UInt128)lastLock * mult;
        UInt128 decay = (UInt128)(lastLock / o.LockReductionInterval) * (block > lastLockBlock ? block - lastLockBlock : 0);
        UInt128 cost = doubled > decay ? doubled - decay : 0;
        return cost < o.MinLockCost ? o.MinLockCost : Saturating.ToU64(cost);
    }
}

/// <summary>set_weights' storage rule (<c>vec_u16_max_upscale_to_u16</c>): the largest value becomes 65535.</summary>
public static class WeightMath
{
    public static ushort[] MaxUpscale(IReadOnlyList<ushort> values)
    {
        var result = new ushort[values.Count];
        if (values.Count == 0) return result;
        long max = I32F32.FromInt(values.Max());
        if (max == 0) return result;
        long u16Max = I32F32.U16Max;
        bool large = max > I32F32.FromInt(32768);
        long ratio = large ? I32F32.SafeDiv(u16Max, max) : 0;
        for (int i = 0; i < values.Count; i++)
        {
            long e = I32F32.FromInt(values[i]);
            long v = large ? I32F32.SatMul(e, ratio) : I32F32.SafeDiv(I32F32.SatMul(e, u16Max), max);
            result[i] = I32F32.ToU16(RoundHalfAwayFromZero(v));
        }
        return result;
    }

    private static long RoundHalfAwayFromZero(long bits) =>
        bits >= 0 ? (long)(((ulong)bits + (ulong)I32F32.Half) & ~0xFFFF_FFFFUL) : -(long)(((ulong)-bits + (ulong)I32F32.Half) & ~0xFFFF_FFFFUL);
}

internal static class Saturating
{
    public static ulong ToU64(UInt128 v) => v > ulong.MaxValue ? ulong.MaxValue : (ulong)v;
}
