using System.Collections.Concurrent;

namespace Bittensor.Subnets;

/// <summary>
/// How a subnet owner defines evaluation: make a challenge, answer it, score answers. A task is named by the subnet's
/// <c>task</c> hyperparameter and registered by name, so a new AI task needs no change to the protocol.
/// </summary>
public interface ISubnetTask
{
    string Name { get; }

    /// <summary>A new challenge from <paramref name="seed"/>; anything hidden from the miner is re-derived from the seed when scoring.</summary>
    Challenge CreateChallenge(ulong seed, ushort netuid, string validator);

    /// <summary>An honest answer, computed on <paramref name="backend"/> with the miner's <paramref name="model"/>.</summary>
    float[] Solve(Challenge challenge, IComputeBackend backend, string model);

    /// <summary>Score in [0, 1]: correctness or accuracy first, then latency.</summary>
    double Score(Challenge challenge, ReadOnlySpan<float> answer, TimeSpan latency);
}

/// <summary>The registry of task types by name.</summary>
public static class SubnetTasks
{
    private static readonly ConcurrentDictionary<string, ISubnetTask> Tasks = new(StringComparer.Ordinal)
    {
        ["matmul"] = new MatMulTask(),
        ["forecast"] = new ForecastTask(),
    };

    public static IEnumerable<string> Names => Tasks.Keys.Order();

    public static void Register(ISubnetTask task) => Tasks[task.Name] = task;

    public static ISubnetTask Get(string name) =>
        Tasks.TryGetValue(name, out var task) ? task : throw new KeyNotFoundException($"no subnet task '{name}'; known: {string.Join(", ", Names)}");
}

/// <summary>SplitMix64: a small, fast, seedable generator shared by validators and miners.</summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [−1, 1).</summary>
    public float NextSigned() => (float)((Next() >> 40) / (double)(1UL << 24) * 2 - 1);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = ((Next() >> 11) + 1) / (double)(1UL << 53), u2 = (Next() >> 11) / (double)(1UL << 53);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
