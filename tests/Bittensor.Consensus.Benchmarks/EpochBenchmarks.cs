using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Bittensor.Consensus.Benchmarks;

/// <summary>
/// One Yuma epoch on a seeded synthetic subnet with dense validator rows (every validator weights every other UID,
/// bonds of the same shape), for the three back ends, against a copy floor: copying the input weight and bond
/// matrices once. Ratios are read within one run (the CopyFloor row is the baseline).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EpochBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(3).WithIterationCount(9).WithLaunchCount(1).WithMaxRelativeError(0.05));
            WithOptions(ConfigOptions.DisableOptimizationsValidator);
        }
    }

    private EpochParameters _parameters = null!;
    private EpochInput _input = null!;
    private ushort[] _columns = [];
    private ushort[] _values = [];
    private int[] _starts = [];

    /// <summary>(UIDs, validators): 256/64, 1024/256, 4096/1024.</summary>
    [Params("256/64", "1024/256", "4096/1024")]
    public string Subnet { get; set; } = "256/64";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Subnet.Split('/');
        (_parameters, _input) = SyntheticSubnet.Create(int.Parse(parts[0]), int.Parse(parts[1]), density: 1.0, seed: 42);
        _columns = new ushort[_input.Weights.Count + _input.Bonds.Count];
        _values = new ushort[_columns.Length];
        _starts = new int[2 * (_input.N + 1)];
    }

    [Benchmark(Baseline = true)]
    public int CopyFloor()
    {
        _input.Weights.AllColumns.CopyTo(_columns);
        _input.Weights.AllValues.CopyTo(_values);
        _input.Weights.RowStarts.CopyTo(_starts);
        _input.Bonds.AllColumns.CopyTo(_columns.AsSpan(_input.Weights.Count));
        _input.Bonds.AllValues.CopyTo(_values.AsSpan(_input.Weights.Count));
        _input.Bonds.RowStarts.CopyTo(_starts.AsSpan(_input.N + 1));
        return _columns.Length;
    }

    [Benchmark]
    public EpochResult Fast() => YumaEpoch.Run(_parameters, _input, Arithmetic.Fast);

    [Benchmark]
    public EpochResult Naive() => YumaEpoch.Run(_parameters, _input, Arithmetic.Naive);

    [Benchmark]
    public EpochResult Exact() => YumaEpoch.Run(_parameters, _input, Arithmetic.Exact);
}
