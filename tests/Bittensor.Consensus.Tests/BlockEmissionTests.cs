namespace Bittensor.Consensus.Tests;

public sealed class BlockEmissionTests
{
    private const ulong Tao = 1_000_000_000;

    [Theory]
    [InlineData(0UL, 1_000_000_000UL)]
    [InlineData(10_500_000 * Tao - 1, 1_000_000_000UL)]
    [InlineData(10_500_000 * Tao, 500_000_000UL)]
    [InlineData(15_750_000 * Tao - 1, 500_000_000UL)]
    [InlineData(15_750_000 * Tao, 250_000_000UL)]
    [InlineData(18_375_000 * Tao, 125_000_000UL)]
    [InlineData(19_687_500 * Tao, 62_500_000UL)]
    [InlineData(21_000_000 * Tao - 1, 0UL)]
    [InlineData(21_000_000 * Tao, 0UL)]
    [InlineData(ulong.MaxValue, 0UL)]
    public void ForIssuance_HalvesAtEachThreshold(ulong issuance, ulong expected) =>
        Assert.Equal(expected, BlockEmission.ForIssuance(issuance));

    [Fact]
    public void Thresholds_AreWhereEmissionChanges()
    {
        ulong issuance = 0;
        for (int k = 1; k <= 30; k++)
        {
            ulong next = BlockEmission.NextHalvingIssuance(issuance);
            Assert.Equal(BlockEmission.DefaultBlockEmission >> (k - 1), BlockEmission.ForIssuance(next - 1));
            Assert.Equal(BlockEmission.DefaultBlockEmission >> k, BlockEmission.ForIssuance(next));
            Assert.Equal(k, BlockEmission.Halvings(next));
            issuance = next;
        }
    }

    [Fact]
    public void Emission_IsMonotoneNonIncreasing()
    {
        var rng = new Random(5);
        var samples = Enumerable.Range(0, 5000).Select(_ => (ulong)rng.NextInt64(0, 21_000_000_000_000_001)).Order().ToArray();
        for (int i = 1; i < samples.Length; i++)
            Assert.True(BlockEmission.ForIssuance(samples[i]) <= BlockEmission.ForIssuance(samples[i - 1]));
    }
}
