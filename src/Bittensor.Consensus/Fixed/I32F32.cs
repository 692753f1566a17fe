using System.Runtime.CompilerServices;

namespace Bittensor.Consensus.Fixed;

/// <summary>
/// Bit-exact emulation of substrate-fixed's <c>I32F32</c> (signed 64-bit, 32 fractional bits), as used by
/// subtensor's epoch (spec §2). Values are carried as raw <see cref="long"/> bits.
/// </summary>
/// <remarks>
/// Multiplication floors (arithmetic shift of the 128-bit product); division truncates toward zero;
/// <c>safe_div</c> returns 0 on division by zero or overflow; <c>saturating_*</c> clamp to the type range.
/// </remarks>
public static class I32F32
{
    /// <summary>Number of fractional bits.</summary>
    public const int FracBits = 32;

    /// <summary>The bits of 1.0.</summary>
    public const long One = 1L << FracBits;

    /// <summary>The bits of 0.5.</summary>
    public const long Half = 1L << (FracBits - 1);

    /// <summary>The bits of 65535.0 (<c>u16::MAX</c> as I32F32).</summary>
    public const long U16Max = 65535L << FracBits;

    /// <summary>Exact integer → I32F32 conversion, saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FromInt(long value) =>
        value > int.MaxValue ? long.MaxValue : value < int.MinValue ? long.MinValue : value << FracBits;

    /// <summary><c>saturating_mul</c>: floor((a·b) / 2^32), clamped to the I32F32 range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SatMul(long a, long b)
    {
        long high = Math.BigMul(a, b, out long low);
        // The 128-bit product shifted right by 32 fits in 64 bits iff high is a sign-extended 32-bit value.
        if (high > int.MaxValue) return long.MaxValue;
        if (high < int.MinValue) return long.MinValue;
        return (high << 32) | (long)((ulong)low >> 32);
    }

    /// <summary><c>checked_mul</c>: the floored product, or <c>null</c> on overflow.</summary>
    public static long? CheckedMul(long a, long b)
    {
        long high = Math.BigMul(a, b, out long low);
        if (high > int.MaxValue || high < int.MinValue) return null;
        return (high << 32) | (long)((ulong)low >> 32);
    }

    /// <summary><c>safe_div</c>: trunc((a·2^32) / b); 0 when <paramref name="b"/> is 0 or the quotient overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SafeDiv(long a, long b)
    {
        if (b == 0) return 0;
        if (a >= 0 && b > 0)
        {
            ulong q = DivShifted((ulong)a, (ulong)b, out bool overflow);
            return overflow || q > long.MaxValue ? 0 : (long)q;
        }
        Int128 r = ((Int128)a << FracBits) / b;
        return r > long.MaxValue || r < long.MinValue ? 0 : (long)r;
    }

    /// <summary><c>saturating_div</c>: trunc((a·2^32) / b), clamped; division by zero saturates by sign (callers never divide by 0).</summary>
    public static long SatDiv(long a, long b)
    {
        if (b == 0) return a >= 0 ? long.MaxValue : long.MinValue;
        Int128 r = ((Int128)a << FracBits) / b;
        return r > long.MaxValue ? long.MaxValue : r < long.MinValue ? long.MinValue : (long)r;
    }

    /// <summary><c>checked_div</c>: trunc((a·2^32) / b), or <c>null</c> on division by zero or overflow.</summary>
    public static long? CheckedDiv(long a, long b)
    {
        if (b == 0) return null;
        Int128 r = ((Int128)a << FracBits) / b;
        return r > long.MaxValue || r < long.MinValue ? null : (long)r;
    }

    /// <summary><c>saturating_add</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SatAdd(long a, long b)
    {
        long r = unchecked(a + b);
        // Overflow iff both operands have the same sign and the result's sign differs.
        if (((a ^ r) & (b ^ r)) < 0) return a < 0 ? long.MinValue : long.MaxValue;
        return r;
    }

    /// <summary><c>saturating_sub</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SatSub(long a, long b)
    {
        long r = unchecked(a - b);
        if (((a ^ b) & (a ^ r)) < 0) return a < 0 ? long.MinValue : long.MaxValue;
        return r;
    }

    /// <summary><c>fixed_proportion_to_u16</c>: floor(x·65535), saturated to [0, 65535].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToU16Proportion(long x) => ToU16(SatMul(x, U16Max));

    /// <summary><c>saturating_to_num::&lt;u16&gt;</c>: floor, clamped to [0, 65535].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToU16(long x)
    {
        long i = x >> FracBits; // arithmetic shift = floor
        return i < 0 ? (ushort)0 : i > ushort.MaxValue ? ushort.MaxValue : (ushort)i;
    }

    /// <summary><c>u16_proportion_to_fixed</c>: safe_div(v, 65535) (from a table of all 65 536 values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FromU16Proportion(ushort v) => ProportionTable.Bits[v];

    private static class ProportionTable
    {
        public static readonly long[] Bits = Build();

        private static long[] Build()
        {
            var t = new long[65536];
            for (int v = 0; v < t.Length; v++) t[v] = SafeDiv((long)v << FracBits, U16Max);
            return t;
        }
    }

    /// <summary>I32F32 → f64 (exact for display and comparisons).</summary>
    public static double ToDouble(long x) => x / 4294967296.0;

    /// <summary>
    /// floor(a·2^32 / b) for unsigned a, b (b &gt; 0); <paramref name="overflow"/> when the quotient needs more than 64 bits.
    /// </summary>
    /// <remarks>Uses 64-bit division where the shifted dividend fits, else a double estimate corrected exactly, else 128-bit division.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivShifted(ulong a, ulong b, out bool overflow)
    {
        overflow = false;
        if (a <= uint.MaxValue) return (a << 32) / b;
        if (b <= uint.MaxValue)
        {
            // a·2^32/b = (a/b)·2^32 + ((a%b)·2^32)/b, both parts exact in 64 bits because a%b < 2^32.
            ulong qh = a / b;
            if (qh > uint.MaxValue) { overflow = true; return 0; }
            ulong r = a % b;
            return (qh << 32) + ((r << 32) / b);
        }
        return DivShiftedWide(a, b, out overflow);
    }

    private static ulong DivShiftedWide(ulong a, ulong b, out bool overflow)
    {
        overflow = false;
        // Both exceed 2^32: the quotient is below 2^64 exactly when a < b·2^32, always true here (a < 2^64 ≤ b·2^32).
        double estimate = (double)a / b * 4294967296.0;
        if (estimate < 1e15)
        {
            ulong q = (ulong)estimate;
            UInt128 num = (UInt128)a << 32;
            UInt128 prod = (UInt128)q * b;
            while (prod > num) { q--; prod -= b; }
            while (prod + b <= num) { q++; prod += b; }
            return q;
        }
        return (ulong)(((UInt128)a << 32) / b);
    }
}
