using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary>
/// The command-line wallet against a running network (the real host behind WebApplicationFactory), with commit-reveal:
/// <c>weights commit</c> and <c>weights reveal</c> by hand, and <c>weights set</c>, which on a commit-reveal subnet
/// commits, waits for the reveal epoch and reveals.
/// </summary>
public sealed class CliWalletTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();
    private readonly string _wallets = Directory.CreateTempSubdirectory("cli-wallets-").FullName;
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

    /// <summary>Runs a network verb against the test host, the password coming from BITTENSOR_PASSWORD (as it must: never an argument).</summary>
    private Task<CliRun> RunWith(string password, string[] args) =>
        Cli.RunAsync([.. args, "--network", "http://localhost", "--wallet-path", _wallets], _handler, new Dictionary<string, string> { ["BITTENSOR_PASSWORD"] = password });

    private Task<CliRun> Run(params string[] args) => RunWith("pw", args);

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await Run([.. args, "--json"]);
        Assert.True(code == 0, $"{string.Join(' ', args)} → {code}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public async Task Btcli_Flow_CreatesKeysSubnetStakeWeights_AndShowsEmission()
    {
        var (netuid, owner, _) = await SubnetAsync();
        Assert.Equal(12, owner.GetProperty("coldkeyMnemonic").GetString()!.Split(' ').Length);
        await Json("weights", "set", "--wallet", "val", "--netuid", $"{netuid}", "--uids", "2", "--weights", "1");
        await Json("axon", "serve", "--wallet", "miner", "--netuid", $"{netuid}", "--ip", "127.0.0.1", "--port", "8091", "--name", "miner-honest-0");
        await _factory.Chain.ProduceBlocksAsync(12);

        var metagraph = await Json("subnets", "metagraph", "--netuid", $"{netuid}");
        var miner = metagraph.GetProperty("neurons")[2];
        Assert.Equal(65535, miner.GetProperty("incentive").GetInt32());
        Assert.True(miner.GetProperty("stake").GetUInt64() > 0);
        var stakes = await Json("stake", "list", "--wallet", "val");
        Assert.True(stakes[0].GetProperty("alpha").GetUInt64() > 0);
        var balance = await Json("wallet", "balance", "--wallet", "miner");
        Assert.True(balance.GetProperty("balance").GetUInt64() < 500_000_000_000);

        // Tables for people.
        var (code, table, _) = await Run("subnets", "metagraph", "--netuid", $"{netuid}");
        Assert.Equal(0, code);
        Assert.Contains("miner-honest-0", table);
        var (listed, wallets, _) = await Run("wallet", "list");
        Assert.Equal(0, listed);
        Assert.Contains("owner", wallets);
        var (info, chain, _) = await Run("chain", "info");
        Assert.Equal(0, info);
        Assert.Contains("api-test", chain);
    }

    [Fact]
    public async Task Failures_PrintTheServersSentence_AndExitNonZero()
    {
        await Json("wallet", "create", "--wallet", "poor");
        var (code, _, stderr) = await Run("wallet", "transfer", "--wallet", "poor", "--dest", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "--amount", "5");
        Assert.Equal(1, code);
        Assert.Contains("InsufficientBalance", stderr);
        Assert.Contains("balance 0 rao", stderr);

        var (c2, _, wrongPassword) = await RunWith("nope", ["wallet", "faucet", "--wallet", "poor", "--amount", "1"]);
        Assert.Equal(1, c2);
        Assert.Contains("wrong password", wrongPassword);

        var (c3, _, e3) = await Run("wallet", "transfer", "--wallet", "poor", "--dest", "bob", "--amount", "1");
        Assert.Equal(2, c3);
        Assert.Contains("SS58", e3);
        var (c4, _, e4) = await Run("stake", "frobnicate");
        Assert.Equal(2, c4);
        Assert.Contains("add, remove, list", e4);
    }

    /// <summary>
    /// Wallets owner, val and miner with 500 τ each; a subnet of the owner's with no weights rate limit, val (staked 100 τ,
    /// holding a validator permit after an epoch) and miner registered. Returns the netuid, the owner's wallet and val's hotkey.
    /// </summary>
    private async Task<(ushort Netuid, JsonElement Owner, string Validator)> SubnetAsync()
    {
        var owner = await Json("wallet", "create", "--wallet", "owner");
        string validator = (await Json("wallet", "create", "--wallet", "val")).GetProperty("hotkey").GetString()!;
        await Json("wallet", "create", "--wallet", "miner");
        foreach (var w in new[] { "owner", "val", "miner" }) await Json("wallet", "faucet", "--wallet", w, "--amount", "500");
        ushort netuid = (await Json("subnets", "create", "--wallet", "owner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        await Json("subnets", "set", "--wallet", "owner", "--netuid", $"{netuid}", "--name", "weights_rate_limit", "--value", "0");
        await Json("subnets", "register", "--wallet", "val", "--netuid", $"{netuid}");
        await Json("subnets", "register", "--wallet", "miner", "--netuid", $"{netuid}");
        await Json("stake", "add", "--wallet", "val", "--netuid", $"{netuid}", "--amount", "100");
        await _factory.Chain.ProduceBlocksAsync(12);
        return (netuid, owner, validator);
    }

    private async Task ToEpochAsync(ushort netuid, ulong epoch)
    {
        while ((await _factory.Chain.GetSubnetInfoAsync(netuid))!.EpochIndex < epoch) await _factory.Chain.ProduceBlocksAsync(1);
    }

    [Fact]
    public async Task WeightsCommitAndReveal_ByHand_AndWeightsSet_CommitsThenReveals()
    {
        var (netuid, _, validator) = await SubnetAsync();
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

    [Fact]
    public async Task WeightsCommitTimelock_SealsToTheBeacon_AndTheChainSetsTheWeightsWhenTheRoundIsOut()
    {
        var (netuid, _, validator) = await SubnetAsync();
        await Json("subnets", "set", "--wallet", "owner", "--netuid", $"{netuid}", "--name", "commit_reveal_weights_enabled", "--value", "true");
        var (past, _, pastError) = await Run("weights", "commit", "--timelock", "--reveal-round", "1", "--wallet", "val", "--netuid", $"{netuid}",
            "--uids", "2", "--weights", "7", "--json");
        Assert.Equal(1, past);
        Assert.Contains("InvalidRevealRound", pastError);

        var committed = await Json("weights", "commit", "--timelock", "--wallet", "val", "--netuid", $"{netuid}", "--uids", "2", "--weights", "7");
        ulong publishedAt = committed.GetProperty("roundPublishedAt").GetUInt64();
        var subnet = _factory.Grains.GetGrain<ISubnetGrain>(netuid);
        Assert.True((await _factory.Chain.GetInfoAsync()).Block < publishedAt);
        while ((await _factory.Chain.GetInfoAsync()).Block < publishedAt - 1) await _factory.Chain.ProduceBlocksAsync(1);
        Assert.DoesNotContain(await subnet.GetWeightsAsync(), r => r.Hotkey == validator && r.Uids.Length > 0);
        await _factory.Chain.ProduceBlocksAsync(1);
        var row = Assert.Single(await subnet.GetWeightsAsync(), r => r.Hotkey == validator);
        Assert.Equal([(ushort)2], row.Uids);
    }
}
