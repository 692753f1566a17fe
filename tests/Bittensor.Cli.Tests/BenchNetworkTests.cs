using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary><c>bittensor bench network</c> through the CLI's entry point: a small network end to end, and bad options.</summary>
public sealed class BenchNetworkTests
{
    private static Task<CliRun> Run(params string[] args) => Cli.RunAsync(["bench", "network", .. args]);

    [Fact]
    public async Task BenchNetwork_PrintsOneJsonLineWithEveryFigure_BlocksAdvance_AuditHolds()
    {
        var (code, stdout, stderr) = await Run("--subnets", "2", "--uids", "8", "--validators", "2", "--storage", "memory",
            "--block-time", "00:00:00.050", "--seconds", "3", "--json");
        Assert.True(code == 0, stderr);
        string line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        foreach (string field in new[]
                 {
                     "subnets", "uids", "validators", "storage", "block_time_ms", "tempo", "seconds", "blocks_per_s", "block_step_ms", "epochs",
                     "tx_per_s", "blocks_on_time", "reads_per_s", "idle_health_per_s", "audit_ok",
                 })
            Assert.True(r.TryGetProperty(field, out _), $"missing '{field}' in {line}");
        foreach (string read in new[] { "health", "chain", "metagraph" })
            Assert.True(r.GetProperty("reads_per_s").GetProperty(read).GetDouble() > 0, $"no {read} reads in {line}");
        Assert.Equal(2, r.GetProperty("subnets").GetInt32());
        Assert.Equal(8, r.GetProperty("uids").GetInt32());
        Assert.Equal("memory", r.GetProperty("storage").GetString());
        Assert.True(r.GetProperty("blocks").GetUInt64() > 0, line);
        Assert.True(r.GetProperty("blocks_per_s").GetDouble() > 0, line);
        Assert.True(r.GetProperty("tx_accepted").GetInt64() > 0, line);
        Assert.Equal(0, r.GetProperty("tx_rejected").GetInt64());
        Assert.DoesNotContain("lack validator permits", stderr);
        Assert.True(r.GetProperty("idle_health_per_s").GetDouble() > 0, line);
        Assert.True(r.GetProperty("audit_ok").GetBoolean(), line);
    }

    [Theory]
    [InlineData("--subnets", "--uids", "8", "--validators", "2")]
    [InlineData("--subnets", "--subnets", "0", "--uids", "8", "--validators", "2")]
    [InlineData("--uids", "--subnets", "2", "--uids", "1", "--validators", "1")]
    [InlineData("--validators", "--subnets", "2", "--uids", "8", "--validators", "9")]
    [InlineData("--storage", "--subnets", "2", "--uids", "8", "--validators", "2", "--storage", "disk")]
    [InlineData("--block-time", "--subnets", "2", "--uids", "8", "--validators", "2", "--block-time", "fast")]
    [InlineData("--block-time", "--subnets", "2", "--uids", "8", "--validators", "2", "--block-time", "00:00:00.001")]
    [InlineData("--seconds", "--subnets", "2", "--uids", "8", "--validators", "2", "--seconds", "0")]
    [InlineData("--tempo", "--subnets", "2", "--uids", "8", "--validators", "2", "--tempo", "0")]
    [InlineData("--bogus", "--subnets", "2", "--uids", "8", "--validators", "2", "--bogus", "1")]
    public async Task BenchNetwork_BadOption_ExitsTwoWithOneLineNamingIt(string option, params string[] args)
    {
        var (code, stdout, stderr) = await Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains($"'{option}'", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
