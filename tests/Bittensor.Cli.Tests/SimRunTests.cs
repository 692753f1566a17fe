using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary><c>sim run</c>: a scenario on the runtime in process, its CSV and JSON outputs, and one-line errors naming the agent and field.</summary>
public sealed class SimRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bittensor-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => Path.Combine(Repository.Root, "samples", "scenarios", name);

    private async Task<string> RunSample(string sample, string output, params string[] more)
    {
        var (code, stdout, stderr) = await Cli.RunAsync(["sim", "run", "--scenario", Sample(sample), "--output", output, .. more]);
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote epochs.csv", stdout);
        return output;
    }

    [Theory]
    [InlineData("weight-copier.json", 1, 22)]
    [InlineData("copier-yuma-variants.json", 4, 88)]
    public async Task Samples_WriteEveryOutput_WithEveryAgentAndEpoch(string sample, int subnets, int agents)
    {
        string output = await RunSample(sample, Path.Combine(_dir, "out"), "--arithmetic", "fast");
        string[] agentRows = File.ReadAllLines(Path.Combine(output, "agents.csv"));
        Assert.StartsWith("agent,subnet,netuid,uid,role,strategy", agentRows[0]);
        Assert.Equal(agents, agentRows.Length - 1);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("bittensor-sim-summary/1", root.GetProperty("schema").GetString());
        Assert.Equal(agents, root.GetProperty("agents").GetArrayLength());
        Assert.Equal(subnets, root.GetProperty("subnets").GetArrayLength());
        ulong epochs = root.GetProperty("epochs").GetUInt64();
        Assert.True(epochs > 0);
        Assert.Equal((long)epochs, (long)File.ReadAllLines(Path.Combine(output, "subnets.csv")).Length - 1);
        Assert.Equal((long)epochs * agents / subnets, (long)File.ReadAllLines(Path.Combine(output, "epochs.csv")).Length - 1);
        var earned = root.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("agent").GetString()!, a => a.GetProperty("alpha_earned").GetInt64());
        Assert.Contains(earned, kv => kv.Key.EndsWith("/copier-0", StringComparison.Ordinal));
        Assert.True(earned.Where(kv => kv.Key.Contains("/honest-", StringComparison.Ordinal)).All(kv => kv.Value > 0), "honest validators earn dividends");
        Assert.True(earned.Where(kv => kv.Key.Contains("/good-", StringComparison.Ordinal) || kv.Key.Contains("/miner-", StringComparison.Ordinal)).Sum(kv => kv.Value) > 0, "miners earn incentive");
    }

    [Fact]
    public async Task TheSameScenario_GivesTheSameOutputs()
    {
        string a = await RunSample("weight-copier.json", Path.Combine(_dir, "a"));
        string b = await RunSample("weight-copier.json", Path.Combine(_dir, "b"));
        foreach (string file in new[] { "epochs.csv", "subnets.csv", "agents.csv", "summary.json" })
            Assert.Equal(File.ReadAllText(Path.Combine(a, file)), File.ReadAllText(Path.Combine(b, file)));
    }

    [Theory]
    [InlineData("\"strategy\": \"copier\"", "\"strategy\": \"lazy\"", "validators 'copier' of subnet 'sn': field 'strategy': expected honest, copier, lagging_copier, cartel or inactive, got 'lazy'")]
    [InlineData("\"name\": \"sn\",", "\"name\": \"sn\", \"hyperparameters\": {\"kapa\": 1},", "subnet 'sn': field 'hyperparameters.kapa': unknown hyperparameter 'kapa'")]
    [InlineData("\"name\": \"sn\",", "\"name\": \"sn\", \"hyperparameters\": {\"kappa\": 70000},", "subnet 'sn': field 'hyperparameters.kappa': kappa must be a u16")]
    [InlineData("\"count\": 8, \"quality\": 0.8", "\"count\": 8, \"quality\": 1.8", "miners 'good' of subnet 'sn': field 'quality': expected a number in 0..1")]
    [InlineData("\"blocks\": 2000,", "\"blocks\": 2000, \"speed\": 1,", "scenario: field 'speed': unknown field")]
    [InlineData("bittensor-scenario/1", "bittensor-scenario/9", "scenario: field 'schema': expected \"bittensor-scenario/1\"")]
    public async Task BadScenario_ExitsWithCode2_AndOneLineNamingTheAgentAndField(string find, string replace, string message)
    {
        string text = File.ReadAllText(Sample("weight-copier.json"));
        Assert.Contains(find, text);
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        var (code, stdout, stderr) = await Cli.RunAsync(["sim", "run", "--scenario", path, "--output", Path.Combine(_dir, "out")]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }
}
