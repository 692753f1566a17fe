using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary>
/// Commit-reveal from the command line against a running network: <c>weights commit</c> and <c>weights reveal</c> by
/// hand, and <c>weights set</c>, which on a commit-reveal subnet commits, waits for the reveal epoch and reveals.
/// </summary>
public sealed class CliCommitRevealTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();
    private readonly string _wallets = Directory.CreateTempSubdirectory("cli-cr-").FullName;
    private HttpMessageHandler _handler = null!;

    public ValueTask InitializeAsync()
    {
        _handler = _factory.Server.CreateHandler();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(_wallets, recursive: true);
    }

    private Task<CliRun> Run(params string[] args) =>
        Cli.RunAsync([.. args, "--network", "http://localhost", "--wallet-path", _wallets], _handler, new Dictionary<string, string> { ["BITTENSOR_PASSWORD"] = "pw" });

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await Run([.. args, "--json"]);
        Assert.True(code == 0, $"{string.Join(' ', args)} → {code}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    private async Task ToEpochAsync(ushort netuid, ulong epoch)
    {
        while ((await _factory.Chain.GetSubnetInfoAsync(netuid))!.EpochIndex < epoch) await _factory.Chain.ProduceBlocksAsync(1);
    }

    [Fact]
    public async Task WeightsCommitAndReveal_ByHand_AndWeightsSet_CommitsThenReveals()
    {
        await Json("wallet", "create", "--wallet", "owner");
        string validator = (await Json("wallet", "create", "--wallet", "val")).GetProperty("hotkey").GetString()!;
        await Json("wallet", "create", "--wallet", "miner");
        foreach (var w in new[] { "owner", "val", "miner" }) await Json("wallet", "faucet", "--wallet", w, "--amount", "500");
        ushort netuid = (await Json("subnets", "create", "--wallet", "owner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        await Json("subnets", "set", "--wallet", "owner", "--netuid", $"{netuid}", "--name", "weights_rate_limit", "--value", "0");
        await Json("subnets", "register", "--wallet", "val", "--netuid", $"{netuid}");
        await Json("subnets", "register", "--wallet", "miner", "--netuid", $"{netuid}");
        await Json("stake", "add", "--wallet", "val", "--netuid", $"{netuid}", "--amount", "100");
        await _factory.Chain.ProduceBlocksAsync(12);
        await Json("subnets", "set", "--wallet", "owner", "--netuid", $"{netuid}", "--name", "commit_reveal_weights_enabled", "--value", "true");
        var hyper = await Json("subnets", "hyperparameters", "--netuid", $"{netuid}");
        Assert.True(hyper.GetProperty("commitRevealWeightsEnabled").GetBoolean());
        Assert.Equal(1UL, hyper.GetProperty("commitRevealPeriod").GetUInt64());

        // By hand: the commit prints its salt and reveal epoch; the reveal before it is refused, in it applied.
        var committed = await Json("weights", "commit", "--wallet", "val", "--netuid", $"{netuid}", "--uids", "2", "--weights", "7");
        string salt = string.Join(',', committed.GetProperty("salt").EnumerateArray().Select(s => s.GetUInt16()));
        Assert.Equal(8, committed.GetProperty("salt").GetArrayLength());
        Assert.StartsWith("0x", committed.GetProperty("commitHash").GetString());
        string[] reveal = ["weights", "reveal", "--wallet", "val", "--netuid", $"{netuid}", "--uids", "2", "--weights", "7", "--salt", salt];
        var (early, _, tooEarly) = await Run([.. reveal, "--json"]);
        Assert.Equal(1, early);
        Assert.Contains("RevealTooEarly", tooEarly);
        await ToEpochAsync(netuid, committed.GetProperty("revealEpoch").GetUInt64());
        var revealed = await Json(reveal);
        Assert.Equal(netuid, revealed.GetProperty("result").GetProperty("netuid").GetUInt16());

        // weights set: commit, wait for the reveal epoch (the test produces the blocks once the commit is on chain), reveal.
        var set = Json("weights", "set", "--wallet", "val", "--netuid", $"{netuid}", "--uids", "2", "--weights", "9");
        var subnet = _factory.Grains.GetGrain<ISubnetGrain>(netuid);
        WeightCommit? commit = null;
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(set.IsCompleted, "weights set ended before its commit was seen");
            commit = (await subnet.GetCommitsAsync(validator)).SingleOrDefault();
            return commit is not null;
        }, "the commit of 'weights set'");
        await ToEpochAsync(netuid, commit!.Epoch + 1);
        var done = await set;
        Assert.Equal(commit.Hash, done.GetProperty("commitHash").GetString());
        Assert.Equal(commit.Epoch + 1, done.GetProperty("revealEpoch").GetUInt64());
        Assert.True(done.GetProperty("reveal").GetProperty("block").GetUInt64() > done.GetProperty("commit").GetProperty("block").GetUInt64());
        Assert.Empty(await subnet.GetCommitsAsync(validator));
        var row = Assert.Single(await subnet.GetWeightsAsync(), r => r.Hotkey == validator);
        Assert.Equal([(ushort)2], row.Uids);
    }
}
