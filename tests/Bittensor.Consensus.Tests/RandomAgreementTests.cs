
namespace Bittensor.Consensus.Tests;

/// <summary>
/// Fast and Naive against Exact on random multi-epoch subnets (each back end carries its own bonds and permits,
/// so float drift compounds), within the bounds. The largest deviations seen are written to the output.
/// </summary>
public sealed class RandomAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<int, Arithmetic> Sizes()
    {
        var data = new TheoryData<int, Arithmetic>();
        foreach (int n in RandomSubnets.Sizes)
        {
            data.Add(n, Arithmetic.Fast);
            if (n <= 100) data.Add(n, Arithmetic.Naive);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Dense_AgreesWithExact_OverSeveralEpochs(int n, Arithmetic arithmetic)
    {
        var total = new Agreement();
        for (int s = 0; s < 6; s++)
        {
            int seed = 50_000 + 97 * n + s;
            var (p, x0) = RandomSubnets.Create(n, seed);
            var rngExact = new Random(seed);
            var rngDense = new Random(seed);
            EpochInput xe = x0, xd = x0;
            for (int epoch = 0; epoch < 5; epoch++)
            {
                var e = YumaEpoch.Run(p, xe, Arithmetic.Exact);
                var d = YumaEpoch.Run(p, xd, arithmetic);
                total.Add($"n={n} seed={seed} epoch={epoch}", new Cases.StepRun(xe.Block, p, xe, e), d);
                xe = RandomSubnets.Next(xe, e, rngExact, p.Tempo);
                xd = RandomSubnets.Next(xd, d, rngDense, p.Tempo);
            }
        }
        output.WriteLine($"{arithmetic} n={n}: max u16 deviation {total.MaxU16}, max stored-bond deviation {total.MaxBond}, max rao deviation {total.MaxRaoFraction:E2} of rao_emission");
        Assert.True(total.Violations.Count == 0, string.Join("\n", total.Violations.Take(20)));
    }
}
