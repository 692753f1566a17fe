using System.Diagnostics;
using System.Globalization;
using Bittensor.Consensus;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>bench epoch --uids N --validators V [--density D] [--seconds S] [--json]</c>: medians per epoch for the exact,
/// fast and naive back ends and a copy floor (copying the input weight and bond matrices once), all measured in one
/// run after a time-based warm-up, and their ratios.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(VerbOptions args, TextWriter stdout)
    {
        int uids = args.Int("uids", 0, 1, YumaEpoch.MaxUids);
        if (uids == 0) throw new UsageException("bench epoch: missing required option '--uids'");
        int validators = args.Int("validators", -1, 0, uids);
        if (validators < 0) throw new UsageException($"bench epoch: missing required option '--validators' (0..{uids})");
        double density = args.Double("density", 1.0, double.Epsilon, 1.0);
        double seconds = args.Double("seconds", 2.0, 0.05, 600);
        int seed = args.Int("seed", 42, 0, int.MaxValue);
        bool json = args.Flag("json");

        var (p, x) = SyntheticSubnet.Create(uids, validators, density, seed);
        var measure = TimeSpan.FromSeconds(seconds);
        var warmup = TimeSpan.FromSeconds(Math.Max(1.0, seconds / 2));
        if (!json) await stdout.WriteLineAsync($"bench epoch: n={uids} validators={validators} density={density.ToString(CultureInfo.InvariantCulture)} ({x.Weights.Count} weights, {x.Bonds.Count} bonds); warm-up {warmup.TotalSeconds:0.#} s, then {seconds:0.#} s per back end");

        var copyColumns = new ushort[x.Weights.Count + x.Bonds.Count];
        var copyValues = new ushort[x.Weights.Count + x.Bonds.Count];
        var copyStarts = new int[2 * (uids + 1)];
        var copy = Measure(() =>
        {
            x.Weights.AllColumns.CopyTo(copyColumns);
            x.Weights.AllValues.CopyTo(copyValues);
            x.Weights.RowStarts.CopyTo(copyStarts);
            x.Bonds.AllColumns.CopyTo(copyColumns.AsSpan(x.Weights.Count));
            x.Bonds.AllValues.CopyTo(copyValues.AsSpan(x.Weights.Count));
            x.Bonds.RowStarts.CopyTo(copyStarts.AsSpan(uids + 1));
        }, warmup, measure);
        var fast = Measure(() => YumaEpoch.Run(p, x, Arithmetic.Fast), warmup, measure);
        var naive = Measure(() => YumaEpoch.Run(p, x, Arithmetic.Naive), warmup, measure);
        var exact = Measure(() => YumaEpoch.Run(p, x, Arithmetic.Exact), warmup, measure);

        double naiveOverFast = naive.MedianNs / fast.MedianNs;
        double exactOverFast = exact.MedianNs / fast.MedianNs;
        double fastOverCopy = fast.MedianNs / copy.MedianNs;
        if (json)
        {
            var inv = CultureInfo.InvariantCulture;
            await stdout.WriteLineAsync(string.Create(inv,
                $"{{\"uids\":{uids},\"validators\":{validators},\"median_ns\":{{\"exact\":{exact.MedianNs:0},\"fast\":{fast.MedianNs:0},\"naive\":{naive.MedianNs:0},\"copy_floor\":{copy.MedianNs:0}}},\"ratios\":{{\"naive_over_fast\":{naiveOverFast:0.###},\"exact_over_fast\":{exactOverFast:0.###},\"fast_over_copy_floor\":{fastOverCopy:0.###}}}}}"));
            return 0;
        }
        await stdout.WriteLineAsync($"  {"back end",-11} {"median",12} {"samples",8}");
        foreach (var (name, m) in new[] { ("exact", exact), ("fast", fast), ("naive", naive), ("copy floor", copy) })
            await stdout.WriteLineAsync($"  {name,-11} {Format(m.MedianNs),12} {m.Samples,8}");
        await stdout.WriteLineAsync($"  naive/fast {naiveOverFast:0.00}×   exact/fast {exactOverFast:0.00}×   fast/copy-floor {fastOverCopy:0.00}×");
        return 0;
    }

    private static string Format(double ns) => ns switch
    {
        >= 1e9 => $"{ns / 1e9:0.000} s",
        >= 1e6 => $"{ns / 1e6:0.000} ms",
        >= 1e3 => $"{ns / 1e3:0.000} µs",
        _ => $"{ns:0} ns",
    };

    /// <summary>Runs <paramref name="action"/> for at least <paramref name="warmup"/> (tiering and caches settle), then samples it for <paramref name="duration"/>.</summary>
    internal static (double MedianNs, int Samples) Measure(Action action, TimeSpan warmup, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (clock.Elapsed < warmup || runs < 2) { action(); runs++; }
        // A sample times a batch of runs lasting about 10 µs, so that actions shorter than the clock's tick still measure.
        int batch = (int)Math.Clamp(Math.Ceiling(10_000 / Math.Max(1, clock.Elapsed.TotalNanoseconds / runs)), 1, 1_000_000);
        var samples = new List<double>();
        clock.Restart();
        while ((clock.Elapsed < duration || samples.Count < 3) && samples.Count < 1_000_000)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / batch);
        }
        samples.Sort();
        int mid = samples.Count / 2;
        double median = samples.Count % 2 == 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
        return (median, samples.Count);
    }
}
