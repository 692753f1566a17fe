using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary>The command-line wallet against a running network (the real host behind WebApplicationFactory).</summary>
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
        var owner = await Json("wallet", "create", "--wallet", "owner");
        Assert.Equal(12, owner.GetProperty("coldkeyMnemonic").GetString()!.Split(' ').Length);
        await Json("wallet", "create", "--wallet", "val");
        await Json("wallet", "create", "--wallet", "miner");
        foreach (var w in new[] { "owner", "val", "miner" }) await Json("wallet", "faucet", "--wallet", w, "--amount", "500");
        var created = await Json("subnets", "create", "--wallet", "owner");
        ushort netuid = created.GetProperty("result").GetProperty("netuid").GetUInt16();
        await Json("subnets", "set", "--wallet", "owner", "--netuid", $"{netuid}", "--name", "weights_rate_limit", "--value", "0");
        await Json("subnets", "register", "--wallet", "val", "--netuid", $"{netuid}");
        await Json("subnets", "register", "--wallet", "miner", "--netuid", $"{netuid}");
        await Json("stake", "add", "--wallet", "val", "--netuid", $"{netuid}", "--amount", "100");
        await _factory.Chain.ProduceBlocksAsync(12);
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
}
