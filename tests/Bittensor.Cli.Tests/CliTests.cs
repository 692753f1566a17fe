using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary>The CLI contract: verbs, JSON shapes, exit codes (0 ok, 2 bad input with one line naming the case and field).</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bittensor-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<CliRun> Run(params string[] args) => Cli.RunAsync(args);

    [Theory]
    [InlineData("exact")]
    [InlineData("fast")]
    public async Task Epoch_WritesFullLengthResultsForEveryStep(string arithmetic)
    {
        string cases = Path.Combine(Repository.Vectors, "rust_test_active_stake.json");
        var (code, stdout, stderr) = await Run("epoch", "--cases", cases, "--arithmetic", arithmetic);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("yuma-epoch-results/1", doc.RootElement.GetProperty("schema").GetString());
        Assert.Equal(arithmetic, doc.RootElement.GetProperty("arithmetic").GetString());
        var steps = doc.RootElement.GetProperty("cases")[0].GetProperty("steps");
        Assert.Equal(4, steps.GetArrayLength());
        var last = steps[3];
        Assert.Equal(5003UL, last.GetProperty("block").GetUInt64());
        foreach (var field in new[] { "active", "stake_weight", "consensus", "incentive", "dividends", "validator_trust", "validator_permit", "server_emission", "validator_emission", "emission" })
            Assert.Equal(4, last.GetProperty(field).GetArrayLength());
        ulong emission = last.GetProperty("emission")[0].GetUInt64();
        var bond = last.GetProperty("bonds").EnumerateArray().Single(c => c[0].GetInt32() == 1 && c[1].GetInt32() == 2)[2].GetInt32();
        if (arithmetic == "exact")
        {
            Assert.Equal(272501132UL, emission);
            Assert.Equal(54712, bond);
        }
        else
        {
            Assert.InRange(emission, 272501132UL - 5000, 272501132UL + 5000);
            Assert.InRange(bond, 54712 - 16, 54712 + 16);
        }
    }

    [Fact]
    public async Task Epoch_WritesToAnOutputFile()
    {
        string output = Path.Combine(_dir, "out.json");
        var (code, stdout, _) = await Run("epoch", "--cases", Path.Combine(Repository.Vectors, "rust_test_1_graph.json"), "--output", output);
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        Assert.Equal("test_1_graph", doc.RootElement.GetProperty("cases")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"schema":"yuma-epoch-cases/1","cases":[{"name":"bad","initial_state":{"n":2,"stake":[1]},"steps":[{"block":1}]}]}""", "case 'bad': field 'initial_state.stake'")]
    [InlineData("""{"schema":"yuma-epoch-cases/1","cases":[{"name":"c1","params":{"kapa":1},"initial_state":{"n":1},"steps":[]}]}""", "case 'c1': field 'params.kapa'")]
    [InlineData("""{"schema":"yuma-epoch-cases/1","cases":[{"name":"c2","initial_state":{"n":2},"steps":[{"block":1,"set":{"weights":{"7":[[0,1]]}}}]}]}""", "case 'c2': field 'steps[0].set.weights.7'")]
    [InlineData("""{"schema":"yuma-epoch-cases/1","cases":[{"name":"c3","initial_state":{"n":2},"steps":[{"block":-1}]}]}""", "case 'c3': field 'steps[0].block'")]
    [InlineData("""{"schema":"yuma-epoch-cases/1","cases":[{"name":"c4","params":{"owner_uid":5},"initial_state":{"n":2},"steps":[{"block":1}]}]}""", "case 'c4': field 'steps[0] (owner_uid)'")]
    [InlineData("""{"schema":"other"}""", "field 'schema'")]
    [InlineData("""not json""", "is not valid JSON")]
    public async Task MalformedDocument_ExitsTwoWithOneLineNamingCaseAndField(string document, string expected)
    {
        string path = Path.Combine(_dir, "cases.json");
        await File.WriteAllTextAsync(path, document);
        var (code, stdout, stderr) = await Run("epoch", "--cases", path);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("epoch", "--cases", "x.json", "--bogus", "1")]
    [InlineData("epoch")]
    [InlineData("epoch", "--cases", "x.json", "--arithmetic", "quantum")]
    [InlineData("frobnicate")]
    [InlineData("bench", "epoch", "--uids", "0", "--validators", "0")]
    [InlineData("block-emission", "--issuance", "-5")]
    public async Task BadCommandLines_ExitTwo(params string[] args)
    {
        var (code, _, stderr) = await Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error:", stderr);
    }

    [Fact]
    public async Task BlockEmission_PrintsRaoPerBlock()
    {
        var (code, stdout, _) = await Run("block-emission", "--issuance", "15750000000000000");
        Assert.Equal(0, code);
        Assert.Equal("250000000", stdout.Trim());
    }

    [Fact]
    public async Task BlockEmission_ReadsCaseDocuments()
    {
        string path = Path.Combine(_dir, "emission.json");
        await File.WriteAllTextAsync(path, """{"schema":"yuma-block-emission/1","cases":[{"issuance":0,"expected":1000000000},{"issuance":10500000000000000,"expected":500000000,"note":"first halving"}]}""");
        var (code, stdout, _) = await Run("block-emission", "--cases", path);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var cases = doc.RootElement.GetProperty("cases");
        Assert.Equal(1_000_000_000UL, cases[0].GetProperty("block_emission").GetUInt64());
        Assert.Equal(500_000_000UL, cases[1].GetProperty("block_emission").GetUInt64());
        Assert.Equal(10_500_000_000_000_000UL, cases[1].GetProperty("issuance").GetUInt64());
    }

    [Fact]
    public async Task BenchJson_HasTheContractShape()
    {
        var (code, stdout, stderr) = await Run("bench", "epoch", "--uids", "32", "--validators", "8", "--seconds", "0.05", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(32, root.GetProperty("uids").GetInt32());
        Assert.Equal(8, root.GetProperty("validators").GetInt32());
        foreach (var k in new[] { "exact", "fast", "naive", "copy_floor" }) Assert.True(root.GetProperty("median_ns").GetProperty(k).GetDouble() > 0);
        foreach (var k in new[] { "naive_over_fast", "exact_over_fast", "fast_over_copy_floor" }) Assert.True(root.GetProperty("ratios").GetProperty(k).GetDouble() > 0);
    }
}
