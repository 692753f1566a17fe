using Microsoft.Extensions.Logging.Abstractions;

namespace Bittensor.Subnets.Tests;

public sealed class ComputeBackendTests
{
    private static float[] Reference(float[] a, float[] b, int n)
    {
        var c = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += (double)a[i * n + k] * b[k * n + j];
                c[i * n + j] = (float)s;
            }
        return c;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(128)]
    public void Cpu_MatMul_MatchesTheReference(int n)
    {
        var (a, b) = MatMulTask.Matrices(42, n);
        var c = new float[n * n];
        using var cpu = new CpuBackend();
        cpu.MatMul(a, b, c, n);
        var expected = Reference(a, b, n);
        for (int i = 0; i < c.Length; i++) Assert.True(Math.Abs(c[i] - expected[i]) < 1e-3f, $"cell {i}: {c[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public void IlgpuKernel_OnTheCpuAccelerator_MatchesTheCpuBackend(int n)
    {
        var (a, b) = MatMulTask.Matrices(7, n);
        var gpu = new float[n * n];
        var cpu = new float[n * n];
        using (var backend = IlgpuBackend.CpuAccelerator())
        {
            Assert.Equal("ilgpu-cpu", backend.Name);
            backend.MatMul(a, b, gpu, n);
        }
        using (var backend = new CpuBackend()) backend.MatMul(a, b, cpu, n);
        for (int i = 0; i < cpu.Length; i++) Assert.True(Math.Abs(gpu[i] - cpu[i]) < 1e-4f);
    }

    [Fact]
    public void Select_FallsBackToTheCpu_WithoutAGpu()
    {
        using var backend = Compute.Select(NullLogger.Instance);
        Assert.Contains(backend.Name, new[] { "cpu-simd" }.Concat(backend.Name.StartsWith("cuda:", StringComparison.Ordinal) ? [backend.Name] : []));
    }

    [Fact]
    public void MatMul_RejectsBadShapes()
    {
        using var cpu = new CpuBackend();
        Assert.Throws<ArgumentException>(() => cpu.MatMul(new float[4], new float[4], new float[3], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => cpu.MatMul([], [], [], 0));
    }
}

public sealed class SubnetTaskTests
{
    [Fact]
    public void MatMul_HonestAnswersPass_CorruptedOrRandomOnesScoreZero_LatencyCounts()
    {
        var task = SubnetTasks.Get("matmul");
        var challenge = task.CreateChallenge(1234, 1, "validator");
        using var cpu = new CpuBackend();
        var answer = task.Solve(challenge, cpu, "honest");
        double fast = task.Score(challenge, answer, TimeSpan.FromMilliseconds(10));
        double slow = task.Score(challenge, answer, TimeSpan.FromSeconds(2));
        Assert.Equal(1.0, fast);
        Assert.Equal(1.0 / 6, slow, 9);
        var corrupted = (float[])answer.Clone();
        corrupted[17] += 0.5f;
        Assert.Equal(0, task.Score(challenge, corrupted, TimeSpan.Zero));
        var rng = new SplitMix64(9);
        Assert.Equal(0, task.Score(challenge, answer.Select(_ => rng.NextSigned()).ToArray(), TimeSpan.Zero));
        Assert.Equal(0, task.Score(challenge, answer.AsSpan(1).ToArray(), TimeSpan.Zero));
        // Another seed's honest answer is wrong for this challenge (copying the wrong work fails).
        Assert.Equal(0, task.Score(challenge, task.Solve(task.CreateChallenge(99, 1, "v"), cpu, "honest"), TimeSpan.Zero));
    }

    [Fact]
    public void Forecast_FittedModelsBeatNaiveOnes_AndBothBeatNoise()
    {
        var task = SubnetTasks.Get("forecast");
        using var cpu = new CpuBackend();
        double ar = 0, naive = 0, noise = 0, mlp = 0;
        var rng = new SplitMix64(5);
        for (ulong seed = 1; seed <= 60; seed++)
        {
            var c = task.CreateChallenge(seed * 7919, 2, "v");
            Assert.Equal(256, c.Data.Length);
            ar += task.Score(c, task.Solve(c, cpu, "ar"), TimeSpan.Zero);
            naive += task.Score(c, task.Solve(c, cpu, "naive"), TimeSpan.Zero);
            mlp += task.Score(c, task.Solve(c, cpu, "mlp"), TimeSpan.Zero);
            noise += task.Score(c, Enumerable.Range(0, c.Horizon).Select(_ => (float)(c.Data[^1] + 50 * rng.NextSigned())).ToArray(), TimeSpan.Zero);
        }
        Assert.True(ar > naive, $"AR {ar / 60:0.000} vs naive {naive / 60:0.000}");
        Assert.True(naive > noise, $"naive {naive / 60:0.000} vs noise {noise / 60:0.000}");
        Assert.True(mlp > noise, $"small network {mlp / 60:0.000} vs noise {noise / 60:0.000}");
        Assert.Equal(task.Solve(task.CreateChallenge(5, 2, "v"), cpu, "mlp"), task.Solve(task.CreateChallenge(5, 2, "v"), cpu, "mlp"));
    }

    [Fact]
    public void Forecast_SeriesIsRegimeSwitching_NotARandomWalk()
    {
        var x = ForecastTask.Series(3, 4000);
        var steps = Enumerable.Range(1, x.Length - 1).Select(t => x[t] - x[t - 1]).ToArray();
        // Volatility differs a lot between windows (regimes), unlike a homogeneous random walk.
        var vols = Enumerable.Range(0, steps.Length / 100).Select(w => Math.Sqrt(steps.Skip(w * 100).Take(100).Average(s => s * s))).ToArray();
        Assert.True(vols.Max() / vols.Min() > 2.5, $"{vols.Min():0.00}..{vols.Max():0.00}");
        Assert.Equal(ForecastTask.Series(3, 100), x.Take(100));
    }

    [Fact]
    public void Registry_FindsTasksByName_AndAcceptsNewOnes()
    {
        Assert.Equal(["forecast", "matmul"], SubnetTasks.Names.Where(n => n is "forecast" or "matmul"));
        Assert.Throws<KeyNotFoundException>(() => SubnetTasks.Get("teleport"));
        SubnetTasks.Register(new MatMulTask(size: 8) is var t ? new Renamed(t) : null!);
        Assert.Equal("matmul-small", SubnetTasks.Get("matmul-small").Name);
    }

    private sealed class Renamed(ISubnetTask inner) : ISubnetTask
    {
        public string Name => "matmul-small";
        public Challenge CreateChallenge(ulong seed, ushort netuid, string validator) => inner.CreateChallenge(seed, netuid, validator) with { Task = Name };
        public float[] Solve(Challenge challenge, IComputeBackend backend, string model) => inner.Solve(challenge, backend, model);
        public double Score(Challenge challenge, ReadOnlySpan<float> answer, TimeSpan latency) => inner.Score(challenge, answer, latency);
    }
}
