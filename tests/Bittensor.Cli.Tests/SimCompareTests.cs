using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary><c>sim compare</c>: a scenario run as written and with agent groups switched, each agent's payoff difference.</summary>
public sealed class SimCompareTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bittensor-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => Path.Combine(Repository.Root, "samples", "scenarios", name);

    [Fact]
    public async Task CopierSwitchedToHonest_ReportsEveryAgentsPayoffInBothRuns_AsJson()
    {
        var (code, stdout, stderr) = await Cli.RunAsync(["sim", "compare", "--scenario", Sample("copier-yuma-variants.json"),
            "--strategy", "copier=honest", "--arithmetic", "fast", "--json"]);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("bittensor-sim-compare/1", root.GetProperty("schema").GetString());
        Assert.Equal("copier=honest", root.GetProperty("strategy").GetString());
        var agents = root.GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(88, agents.Count);
        foreach (var a in agents)
        {
            Assert.Equal(a.GetProperty("alpha_earned_switched").GetInt64() - a.GetProperty("alpha_earned").GetInt64(), a.GetProperty("alpha_difference").GetInt64());
            Assert.Equal(a.GetProperty("value_earned_switched").GetInt64() - a.GetProperty("value_earned").GetInt64(), a.GetProperty("value_difference").GetInt64());
            bool copier = a.GetProperty("agent").GetString()!.EndsWith("/copier-0", StringComparison.Ordinal);
            Assert.Equal(copier ? "copier" : a.GetProperty("switched_to").GetString(), a.GetProperty("strategy").GetString());
            Assert.Equal(copier ? "honest" : a.GetProperty("strategy").GetString(), a.GetProperty("switched_to").GetString());
        }
        // One copier per Yuma variant (classic, Yuma 3, liquid alpha, commit-reveal); validating honestly changes what each earns.
        var copiers = agents.Where(a => a.GetProperty("strategy").GetString() == "copier").ToList();
        Assert.Equal(4, copiers.Count);
        Assert.All(copiers, c => Assert.NotEqual(0, c.GetProperty("alpha_difference").GetInt64()));
        Assert.All(copiers, c => Assert.True(c.GetProperty("alpha_earned").GetInt64() > 0, "a copier earns dividends"));
    }

    [Fact]
    public async Task Table_NamesTheSwitchedAgent_AndTheSameSeedGivesTheSameTable()
    {
        string[] args = ["sim", "compare", "--scenario", Sample("weight-copier.json"), "--strategy", "copier=honest"];
        var (code, stdout, stderr) = await Cli.RunAsync(args);
        Assert.True(code == 0, stderr);
        string[] lines = stdout.TrimEnd().Split('\n');
        Assert.StartsWith("agent", lines[0]);
        Assert.Contains("Δ alpha", lines[0]);
        Assert.Equal(22, lines.Length - 1);
        Assert.Single(lines, l => l.Contains("copier → honest", StringComparison.Ordinal));
        var again = await Cli.RunAsync(args);
        Assert.Equal(stdout, again.Out);
    }

    [Theory]
    [InlineData("nobody=honest", "no validator or miner group of scenario 'weight-copier' is named 'nobody'")]
    [InlineData("copier=lazy", "validators 'copier' of subnet 'sn': field 'strategy': expected")]
    [InlineData("copier=cartel", "validators 'copier' of subnet 'sn': field 'favours'")]
    [InlineData("good=copier", "miners 'good' of subnet 'sn': field 'strategy': expected honest, lazy or sybil, got 'copier'")]
    [InlineData("copier", "'--strategy': 'copier' is not group=strategy")]
    [InlineData("copier=honest,copier=lazy", "'--strategy': group 'copier' is switched twice")]
    public async Task BadSwitch_ExitsWithCode2_AndOneLineNamingIt(string strategy, string message)
    {
        var (code, stdout, stderr) = await Cli.RunAsync(["sim", "compare", "--scenario", Sample("weight-copier.json"), "--strategy", strategy]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(message, stderr);
    }
}
