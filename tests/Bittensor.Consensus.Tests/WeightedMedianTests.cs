using System.Text.Json;
using Bittensor.Consensus.Exact;
using Bittensor.Consensus.Fast;

namespace Bittensor.Consensus.Tests;

/// <summary>subtensor's weighted-median tests (rust_math_weighted_median.json) on the exact and the float kernels.</summary>
public sealed class WeightedMedianTests
{
    /// <summary>I32F32::from_num(f32): the f32 literal rounded to nearest, ties to even.</summary>
    private static long Fixed(double literal) => (long)Math.Round((double)(float)literal * 4294967296.0, MidpointRounding.ToEven);

    public static TheoryData<int> Cases()
    {
        using var doc = SharedVectors.Load("rust_math_weighted_median.json");
        var data = new TheoryData<int>();
        for (int i = 0; i < doc.RootElement.GetProperty("cases").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExactAndFloatMedians_MatchSubtensor(int index)
    {
        using var doc = SharedVectors.Load("rust_math_weighted_median.json");
        var c = doc.RootElement.GetProperty("cases")[index];
        string fn = c.GetProperty("fn").GetString()!;
        long[] stake = c.GetProperty("stake").EnumerateArray().Select(e => Fixed(e.GetDouble())).ToArray();
        long majority = Fixed(c.GetProperty("majority").GetDouble());
        if (fn == "weighted_median")
        {
            long[] score = c.GetProperty("score").EnumerateArray().Select(e => Fixed(e.GetDouble())).ToArray();
            if (c.GetProperty("normalize_stake").GetBoolean()) Consensus.Fixed.FixedVector.Normalize(stake);
            long sum = stake.Sum();
            int m = stake.Length;
            long got = ExactEpoch.WeightedMedian(stake, score, sum - majority, sum, new int[m], new int[m], new int[m]);
            Assert.Equal(c.GetProperty("expected").GetDouble(), Consensus.Fixed.I32F32.ToDouble(got), 6);
            if (m > 0)
            {
                float f = FastKernels.StakeWeightedMedian(score.Select(s => (float)(s / 4294967296.0)).ToArray(),
                    stake.Select(s => (float)(s / 4294967296.0)).ToArray(), (float)(majority / 4294967296.0));
                // The float kernel normalizes stake; the Rust test with un-normalized stake sums to 1 already.
                Assert.Equal(c.GetProperty("expected").GetDouble(), f, 6);
            }
            return;
        }
        var weights = c.GetProperty("weights").EnumerateArray().Select(r => r.EnumerateArray().Select(e => Fixed(e.GetDouble())).ToArray()).ToArray();
        int columns = c.GetProperty("columns").GetInt32();
        var rows = weights.Select(r =>
        {
            var row = new ExactEpoch.Row();
            for (int j = 0; j < r.Length; j++) if (r[j] != 0) row.Add(j, r[j]);
            return row;
        }).ToArray();
        long[] medians = ExactEpoch.WeightedMedianColSparse(stake, rows, columns, majority);
        var expected = c.GetProperty("expected").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int j = 0; j < columns; j++) Assert.Equal(expected[j], Consensus.Fixed.I32F32.ToDouble(medians[j]), 6);

        var dense = weights.SelectMany(r => r.Select(v => (float)(v / 4294967296.0))).ToArray();
        var consensus = new float[columns];
        FastKernels.ColumnConsensus(dense, columns, stake.Select(s => (float)(s / 4294967296.0)).ToArray(), (float)(majority / 4294967296.0), consensus);
        for (int j = 0; j < columns; j++) Assert.Equal(expected[j], consensus[j], 6);
    }

    [Fact]
    public void StakeWeightedMedian_RejectsNaNNegativeAndMismatchedInput()
    {
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => FastKernels.StakeWeightedMedian([0.1f, float.NaN], [1, 1], 0.5f));
        Assert.Equal("scores", nan.ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => FastKernels.StakeWeightedMedian([0.1f, 0.2f], [1, -1], 0.5f));
        Assert.Equal("stake", negative.ParamName);
        Assert.Throws<ArgumentException>(() => FastKernels.StakeWeightedMedian([0.1f], [1, 1], 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => FastKernels.StakeWeightedMedian([0.1f], [1], float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => FastKernels.Normalize(new[] { 1f, float.PositiveInfinity }));
    }

    [Fact]
    public void StakeWeightedMedian_IsTheStakeMajorityValue()
    {
        // 60% of the stake says 0.2, 40% says 0.9: consensus follows the majority.
        Assert.Equal(0.2f, FastKernels.StakeWeightedMedian([0.9f, 0.2f, 0.2f], [4, 3, 3], 0.5f));
        Assert.Equal(0f, FastKernels.StakeWeightedMedian([0.9f], [0], 0.5f));
    }
}
