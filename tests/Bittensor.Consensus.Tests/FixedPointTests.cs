using Bittensor.Consensus.Fixed;

namespace Bittensor.Consensus.Tests;

public sealed class FixedPointTests
{
    private static long Bits(double v) => (long)Math.Round(v * 4294967296.0, MidpointRounding.ToEven);

    [Fact]
    public void SatMul_FloorsTowardNegativeInfinity()
    {
        // (−1 ulp) · 0.5 = −0.5 ulp → floor → −1 ulp (an arithmetic shift, not truncation).
        Assert.Equal(-1, I32F32.SatMul(-1, I32F32.Half));
        Assert.Equal(0, I32F32.SatMul(1, I32F32.Half));
        Assert.Equal(I32F32.FromInt(6), I32F32.SatMul(I32F32.FromInt(2), I32F32.FromInt(3)));
    }

    [Fact]
    public void SatMul_Saturates()
    {
        Assert.Equal(long.MaxValue, I32F32.SatMul(I32F32.FromInt(100_000), I32F32.FromInt(100_000)));
        Assert.Equal(long.MinValue, I32F32.SatMul(I32F32.FromInt(-100_000), I32F32.FromInt(100_000)));
    }

    [Fact]
    public void SafeDiv_TruncatesTowardZeroAndReturnsZeroOnDivideByZeroOrOverflow()
    {
        Assert.Equal(0x5555_5555L, I32F32.SafeDiv(I32F32.One, I32F32.FromInt(3)));
        Assert.Equal(-0x5555_5555L, I32F32.SafeDiv(-I32F32.One, I32F32.FromInt(3)));
        Assert.Equal(0, I32F32.SafeDiv(I32F32.One, 0));
        Assert.Equal(0, I32F32.SafeDiv(I32F32.FromInt(1_000_000), 1)); // quotient overflows I32F32
    }

    [Fact]
    public void SafeDiv_FastPathsMatchWideDivision()
    {
        var rng = new Random(7);
        for (int k = 0; k < 200_000; k++)
        {
            long a = rng.NextInt64(0, long.MaxValue) >> rng.Next(0, 63);
            long b = Math.Max(1, rng.NextInt64(1, long.MaxValue) >> rng.Next(0, 63));
            Int128 q = ((Int128)a << 32) / b;
            long expected = q > long.MaxValue ? 0 : (long)q;
            Assert.Equal(expected, I32F32.SafeDiv(a, b));
        }
    }

    [Fact]
    public void ToU16Proportion_FloorsAndSaturates()
    {
        Assert.Equal(65535, I32F32.ToU16Proportion(I32F32.One));
        Assert.Equal(32767, I32F32.ToU16Proportion(I32F32.Half));
        Assert.Equal(0, I32F32.ToU16Proportion(-5));
        Assert.Equal(65535, I32F32.ToU16Proportion(I32F32.FromInt(2)));
    }

    [Fact]
    public void FromU16Proportion_IsSafeDivBy65535()
    {
        for (int v = 0; v <= 65535; v += 257)
            Assert.Equal(I32F32.SafeDiv((long)v << 32, I32F32.U16Max), I32F32.FromU16Proportion((ushort)v));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 1.6487212707)]
    [InlineData(-2.0, 0.1353352832)]
    [InlineData(5.0, 148.4131591026)]
    [InlineData(-20.0, 2.061153622e-9)]
    public void Exp_IsCloseToTheTrueExponential(double x, double expected)
    {
        double got = I32F32.ToDouble(FixedExp.ExpSafe(Bits(x)));
        Assert.True(Math.Abs(got - expected) <= 1e-6 * Math.Max(1, expected), $"exp({x}) = {got}, expected {expected}");
    }

    [Fact]
    public void Exp_OfOneIsTheTruncatedI9F23Constant()
    {
        Assert.Equal(2.71828174591064453125, I32F32.ToDouble(FixedExp.Exp(I32F32.One)!.Value));
    }

    [Fact]
    public void ExpSafe_ClampsItsInput()
    {
        Assert.Equal(FixedExp.ExpSafe(I32F32.FromInt(20)), FixedExp.ExpSafe(I32F32.FromInt(400)));
        Assert.Equal(FixedExp.ExpSafe(I32F32.FromInt(-20)), FixedExp.ExpSafe(I32F32.FromInt(-400)));
    }
}
