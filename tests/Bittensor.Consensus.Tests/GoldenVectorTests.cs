using Bittensor.Consensus.Cases;

namespace Bittensor.Consensus.Tests;

/// <summary>Exact reproduces every value subtensor's own tests assert; Fast stays within the documented bounds.</summary>
public sealed class GoldenVectorTests
{
    public static TheoryData<string, string> Cases => SharedVectors.EpochCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exact_ReproducesEveryAssertedValue(string file, string name)
    {
        var c = SharedVectors.Case(file, name);
        var run = EpochCaseRunner.Run(c, Arithmetic.Exact);
        var failures = CaseExpectations.Check(c, run);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_AgreesWithExactWithinBounds(string file, string name)
    {
        var c = SharedVectors.Case(file, name);
        var exact = EpochCaseRunner.Run(c, Arithmetic.Exact);
        var fast = EpochCaseRunner.Run(c, Arithmetic.Fast);
        bool extreme = exact.Steps.Any(s => s.Parameters.BondsMovingAverage == 999_999);
        var report = Agreement.Compare(exact, fast);
        if (!extreme) Assert.True(report.Violations.Count == 0, string.Join("\n", report.Violations));
    }

    [Fact]
    public void GoldenVectors_AreAllFound()
    {
        Assert.True(SharedVectors.EpochFiles().Count() >= 14, $"expected the shared epoch vectors in {SharedVectors.Directory}");
    }
}
