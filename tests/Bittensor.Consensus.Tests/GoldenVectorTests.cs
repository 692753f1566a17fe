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

    public static TheoryData<string, string, Arithmetic> DenseCases()
    {
        var data = new TheoryData<string, string, Arithmetic>();
        foreach (var (file, name) in SharedVectors.EpochCases().Select(row => row.Data))
        {
            data.Add(file, name, Arithmetic.Fast);
            data.Add(file, name, Arithmetic.Naive);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void Dense_AgreesWithExactWithinBounds(string file, string name, Arithmetic arithmetic)
    {
        var c = SharedVectors.Case(file, name);
        var exact = EpochCaseRunner.Run(c, Arithmetic.Exact);
        var fast = EpochCaseRunner.Run(c, arithmetic);
        bool extreme = exact.Steps.Any(s => s.Parameters.BondsMovingAverage == 999_999);
        var report = Agreement.Compare(exact, fast);
        if (!extreme) Assert.True(report.Violations.Count == 0, string.Join("\n", report.Violations));
    }

    [Fact]
    public void GoldenVectors_AreAllFound()
    {
        Assert.True(SharedVectors.EpochFiles().Count() >= 14, $"expected the golden epoch vectors in {SharedVectors.Directory}");
    }
}
