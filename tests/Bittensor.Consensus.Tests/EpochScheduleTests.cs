namespace Bittensor.Consensus.Tests;

public sealed class EpochScheduleTests
{
    [Fact]
    public void TempoZero_NeverRuns() =>
        Assert.False(EpochSchedule.ShouldRunEpoch(0, 1_000_000, 0, pendingEpochAt: 5, blocksSinceLastStep: 100_000));

    [Theory]
    [InlineData(360UL, 1359UL, 1000UL, false)]
    [InlineData(360UL, 1360UL, 1000UL, true)]
    [InlineData(360UL, 1361UL, 1000UL, true)]
    [InlineData(10UL, 5UL, 0UL, false)]
    public void RunsWhenATempoHasPassed(ulong tempo, ulong block, ulong last, bool expected) =>
        Assert.Equal(expected, EpochSchedule.ShouldRunEpoch(tempo, block, last));

    [Fact]
    public void TriggeredEpoch_RunsOnceItsBlockIsReached()
    {
        Assert.False(EpochSchedule.ShouldRunEpoch(360, 1009, 1000, pendingEpochAt: 1010));
        Assert.True(EpochSchedule.ShouldRunEpoch(360, 1010, 1000, pendingEpochAt: 1010));
        Assert.Equal(1010UL, EpochSchedule.NextEpochStartBlock(360, 1000, 1010));
        Assert.Equal(1360UL, EpochSchedule.NextEpochStartBlock(360, 1000));
    }

    [Fact]
    public void MaxTempo_ForcesAnEpoch() =>
        Assert.True(EpochSchedule.ShouldRunEpoch(50_400, 100, 99, blocksSinceLastStep: EpochSchedule.MaxTempo + 1));

    [Fact]
    public void BlocksUntilNextAutoEpoch_Saturates()
    {
        Assert.Equal(60UL, EpochSchedule.BlocksUntilNextAutoEpoch(360, 1300, 1000));
        Assert.Equal(0UL, EpochSchedule.BlocksUntilNextAutoEpoch(360, 2000, 1000));
        Assert.Equal(ulong.MaxValue, EpochSchedule.BlocksUntilNextAutoEpoch(0, 2000, 1000));
    }

    [Fact]
    public void NewSubnets_AreStaggeredByNetuid()
    {
        Assert.Equal(995UL, EpochSchedule.InitialLastEpochBlock(5, 360, 1000));
        Assert.Equal(1000UL - 365 % 360, EpochSchedule.InitialLastEpochBlock(365, 360, 1000));
        Assert.Equal(0UL, EpochSchedule.InitialLastEpochBlock(5, 360, 3));
    }

    [Fact]
    public void LegacyFormula_HasPeriodTempoPlusOne()
    {
        // tempo − ((block + netuid + 1) mod (tempo + 1)); an epoch fires when it reaches 0.
        Assert.Equal(360UL - (1000 + 1 + 1) % 361, EpochSchedule.LegacyBlocksUntilNextEpoch(1, 360, 1000));
        var zeros = Enumerable.Range(0, 2000).Where(b => EpochSchedule.LegacyBlocksUntilNextEpoch(3, 10, (ulong)b) == 0).ToArray();
        Assert.All(zeros.Zip(zeros.Skip(1)), p => Assert.Equal(11, p.Second - p.First));
        Assert.Equal(ulong.MaxValue, EpochSchedule.LegacyBlocksUntilNextEpoch(1, 0, 1000));
    }
}
