using System.Globalization;
using System.Text;
using System.Text.Json;
using Bittensor.Runtime.Simulation;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>sim compare --scenario FILE --strategy group=strategy[,...] [--arithmetic exact|fast] [--seed S] [--json] [--output FILE]</c>:
/// runs the scenario as written and again with the named agent groups switched to other strategies (same seed, same
/// economy), and prints per agent its alpha earned and worth earned (TAO) in both runs and the difference — e.g. what
/// a weight copier would have earned validating honestly, on each subnet variant of the scenario.
/// </summary>
internal static class SimCompareCommand
{
    public static readonly string[] Options = ["scenario", "strategy", "arithmetic", "seed", "output"];

    public static async Task<int> RunAsync(VerbOptions args, TextWriter stdout, TextWriter stderr)
    {
        string path = args.Require("scenario");
        string switchText = args.Require("strategy");
        var arithmetic = args.Arithmetic();
        int? seed = args.Get("seed") is null ? null : args.Int("seed", 0, 0, int.MaxValue);
        using var doc = Output.ReadJson(path, "sim compare");
        Scenario baseline, switched;
        ScenarioRun a, b;
        try
        {
            var switches = StrategySwitch.ParseList(switchText);
            baseline = Scenario.Read(doc.RootElement);
            switched = StrategySwitch.Apply(baseline, switches);
            a = await ScenarioRun.BuildAsync(baseline, arithmetic, seed);
            b = await ScenarioRun.BuildAsync(switched, arithmetic, seed);
        }
        catch (ScenarioFormatException e)
        {
            throw new UsageException($"sim compare: {path}: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new UsageException($"sim compare: '--strategy': {e.Message}");
        }
        await stderr.WriteLineAsync($"sim compare: scenario '{baseline.Name}', {baseline.Blocks} blocks, twice ({switchText})");
        await Task.WhenAll(Task.Run(() => a.RunAsync()), Task.Run(() => b.RunAsync()));

        var rows = Compare(a.Results(), b.Results());
        void Write(Utf8JsonWriter w) => Json(w, baseline.Name, switchText, arithmetic.ToString().ToLowerInvariant(), rows);
        if (args.Flag("json")) await Output.WriteJsonAsync(null, stdout, Write);
        else await stdout.WriteAsync(Table(rows));
        if (args.Get("output") is string output) await Output.WriteJsonAsync(output, stdout, Write);
        return 0;
    }

    /// <summary>One agent in both runs.</summary>
    internal sealed record Row(string Agent, string Role, string Strategy, string SwitchedTo, long AlphaBase, long AlphaSwitched, long ValueBase, long ValueSwitched)
    {
        public long AlphaDifference => AlphaSwitched - AlphaBase;

        public long ValueDifference => ValueSwitched - ValueBase;
    }

    internal static List<Row> Compare(IReadOnlyList<AgentResult> baseline, IReadOnlyList<AgentResult> switched)
    {
        var other = switched.ToDictionary(r => r.Agent, StringComparer.Ordinal);
        return [.. baseline.Select(r =>
        {
            var s = other[r.Agent];
            return new Row(r.Agent, r.Role, r.Strategy, s.Strategy, r.AlphaEarned, s.AlphaEarned, r.ValueEarned, s.ValueEarned);
        })];
    }

    private static string Table(List<Row> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var cells = rows.Select(r => new[]
        {
            r.Agent, r.Strategy == r.SwitchedTo ? r.Strategy : $"{r.Strategy} → {r.SwitchedTo}",
            Tao(r.AlphaBase), Tao(r.AlphaSwitched), Signed(r.AlphaDifference), Tao(r.ValueBase), Tao(r.ValueSwitched), Signed(r.ValueDifference),
        }).ToList();
        string[] header = ["agent", "strategy", "alpha earned", "switched", "Δ alpha", "worth earned (TAO)", "switched", "Δ worth"];
        var widths = header.Select((h, k) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[k].Length))).ToArray();
        var text = new StringBuilder();
        Line(header);
        foreach (var c in cells) Line(c);
        return text.ToString();

        void Line(string[] c) => text.AppendJoin("  ", c.Select((x, k) => k < 2 ? x.PadRight(widths[k]) : x.PadLeft(widths[k]))).Append('\n');
        string Tao(long rao) => (rao / 1e9).ToString("0.000", inv);
        string Signed(long rao) => (rao >= 0 ? "+" : "") + Tao(rao);
    }

    private static void Json(Utf8JsonWriter w, string scenario, string switches, string arithmetic, List<Row> rows)
    {
        w.WriteStartObject();
        w.WriteString("schema", "bittensor-sim-compare/1");
        w.WriteString("scenario", scenario);
        w.WriteString("strategy", switches);
        w.WriteString("arithmetic", arithmetic);
        w.WriteStartArray("agents");
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("agent", r.Agent);
            w.WriteString("role", r.Role);
            w.WriteString("strategy", r.Strategy);
            w.WriteString("switched_to", r.SwitchedTo);
            w.WriteNumber("alpha_earned", r.AlphaBase);
            w.WriteNumber("alpha_earned_switched", r.AlphaSwitched);
            w.WriteNumber("alpha_difference", r.AlphaDifference);
            w.WriteNumber("value_earned", r.ValueBase);
            w.WriteNumber("value_earned_switched", r.ValueSwitched);
            w.WriteNumber("value_difference", r.ValueDifference);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
