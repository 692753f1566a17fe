using Bittensor.Runtime.Simulation;
using ScottPlot;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>sim run</c>'s charts, each as PNG and SVG (ScottPlot): validators' stake and dividends, miners' incentive and each
/// subnet's price over the run's blocks, and every agent's worth earned. Miners are drawn per group (their mean), and so are
/// validators when a run has more than <see cref="MaxLines"/> of them, so a chart stays readable.
/// </summary>
internal static class SimCharts
{
    /// <summary>The most lines a chart draws one per agent.</summary>
    private const int MaxLines = 16;

    private const int Width = 900, Height = 520;

    /// <summary>The charts' file names without extension, in the order they are written.</summary>
    public static readonly string[] Names = ["stake", "dividends", "incentive", "price", "earned"];

    public static void Write(string folder, ScenarioRun run, IReadOnlyList<AgentResult> agents)
    {
        Directory.CreateDirectory(folder);
        var validators = run.Epochs.Where(r => r.Role == "validator").ToList();
        bool individually = validators.Select(r => r.Agent).Distinct().Count() <= MaxLines;
        Lines(folder, "stake", "Validators' stake", "alpha", validators, r => r.Stake / 1e9, individually);
        Lines(folder, "dividends", "Validators' dividends", "dividends (share of 65535)", validators, r => r.Dividends, individually);
        Lines(folder, "incentive", "Miners' incentive (mean per group)", "incentive (share of 65535)",
            run.Epochs.Where(r => r.Role == "miner").ToList(), r => r.Incentive, individually: false);

        var price = new Plot();
        foreach (var subnet in run.SubnetEpochs.GroupBy(r => r.Subnet))
            Series(price, subnet.Key, [.. subnet.Select(r => (double)r.Block)], [.. subnet.Select(r => r.Price)]);
        Save(price, folder, "price", "Subnet price", "TAO per alpha");

        var earned = new Plot();
        var paid = agents.Where(a => a.Role != "owner").ToList();
        var bars = earned.Add.Bars(paid.Select(a => a.ValueEarned / 1e9).ToArray());
        bars.Horizontal = true;
        earned.Axes.Left.SetTicks([.. Enumerable.Range(0, paid.Count).Select(i => (double)i)], [.. paid.Select(a => a.Agent)]);
        earned.Axes.Margins(left: 0);
        Save(earned, folder, "earned", "Worth earned per agent", "TAO", xLabel: "TAO (free balance + stake at spot price, end − start)", legend: false, height: Math.Max(Height, 18 * paid.Count + 120));
    }

    /// <summary>One line per agent (or per group: the mean of its members) over the epochs' blocks.</summary>
    private static void Lines(string folder, string name, string title, string yLabel, List<EpochRow> rows, Func<EpochRow, double> value, bool individually)
    {
        var plot = new Plot();
        foreach (var series in rows.GroupBy(r => individually ? r.Agent : Group(r.Agent)))
        {
            var points = series.GroupBy(r => r.Block).Select(b => (Block: (double)b.Key, Value: b.Average(value))).ToList();
            Series(plot, series.Key, [.. points.Select(p => p.Block)], [.. points.Select(p => p.Value)]);
        }
        Save(plot, folder, name, title, yLabel);
    }

    private static void Series(Plot plot, string label, double[] xs, double[] ys)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.MarkerSize = xs.Length > 40 ? 0 : 4;
    }

    private static void Save(Plot plot, string folder, string name, string title, string yLabel, string xLabel = "block", bool legend = true, int height = Height)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (legend) plot.ShowLegend(Edge.Right);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), Width, height);
    }

    /// <summary>"sn/good-3" → "sn/good": an agent's group.</summary>
    private static string Group(string agent)
    {
        int dash = agent.LastIndexOf('-');
        return dash > 0 && agent[(dash + 1)..].All(char.IsAsciiDigit) ? agent[..dash] : agent;
    }
}
