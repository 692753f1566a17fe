using System.Globalization;
using System.Text.Json;
using Bittensor.Consensus;

namespace Bittensor.Cli.Tests;

/// <summary><c>sim halving</c>: the runtime in process from genesis to the first halving, small sizes started near it.</summary>
public sealed class SimHalvingTests
{
    /// <summary>300 TAO below the first halving: a few hundred blocks, tens of epochs at tempo 10.</summary>
    private static readonly ulong NearHalving = BlockEmission.NextHalvingIssuance(0) - 300 * BlockEmission.DefaultBlockEmission;

    private static Task<CliRun> Run(params string[] args) => Cli.RunAsync(args);

    private static string[] Small(params string[] more) =>
        ["sim", "halving", "--subnets", "3", "--uids", "8", "--validators", "3", "--tempo", "10",
         "--start-issuance", NearHalving.ToString(CultureInfo.InvariantCulture), .. more];

    /// <summary>The first block whose emission is halved, from the issuance at genesis: each block mints BlockEmission.ForIssuance.</summary>
    private static ulong PredictedHalvingBlock(ulong issuance)
    {
        for (ulong block = 1; ; block++)
        {
            ulong minted = BlockEmission.ForIssuance(issuance);
            if (minted < BlockEmission.DefaultBlockEmission) return block;
            issuance += minted;
        }
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("fast")]
    public async Task Halving_IsTheBlockBlockEmissionPredicts(string arithmetic)
    {
        var (code, stdout, stderr) = await Run(Small("--arithmetic", arithmetic, "--json"));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        ulong expected = PredictedHalvingBlock(NearHalving);
        Assert.Equal(expected, root.GetProperty("halving_block").GetUInt64());
        Assert.Equal(expected, root.GetProperty("blocks").GetUInt64());
        Assert.True(root.GetProperty("epochs").GetUInt64() > 0, "epochs ran every tempo on every subnet");
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.True(root.GetProperty("blocks_per_s").GetDouble() >= 0);
        Assert.Equal(arithmetic, root.GetProperty("arithmetic").GetString());
    }

    [Fact]
    public async Task Halving_WithoutJson_SaysWhereItHappened_AndStillEndsWithTheJsonLine()
    {
        var (code, stdout, stderr) = await Run(Small());
        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.StartsWith($"first halving at block {PredictedHalvingBlock(NearHalving)}:", lines[0]);
        using var doc = JsonDocument.Parse(lines[^1]);
        Assert.Contains("sim halving: 3 subnets", stderr);
    }

    [Fact]
    public async Task MaxBlocks_StopsBeforeTheHalving_WithExitCode1()
    {
        var (code, stdout, stderr) = await Run(Small("--max-blocks", "50", "--json"));
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("halving_block").ValueKind);
        Assert.Equal(50UL, doc.RootElement.GetProperty("blocks").GetUInt64());
        Assert.Contains("--max-blocks 50", stderr);
    }

    [Theory]
    [InlineData("--start-issuance", "1", "'--start-issuance' must be in")]
    [InlineData("--start-issuance", "10500000000000000", "'--start-issuance' must be in")]
    [InlineData("--validators", "7", "validators must be in 1..6")]
    [InlineData("--arithmetic", "quantum", "'--arithmetic' must be exact, fast or naive")]
    public async Task BadSettings_ExitWithCode2_AndOneLineNamingTheOption(string option, string value, string message)
    {
        var args = Small().ToList();
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (code, stdout, stderr) = await Run([.. args]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("sim halving: " + message, stderr);
    }
}
