using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary>
/// The subnet lifecycle and childkeys from the command line (<c>subnets start|identity</c>, <c>stake child
/// get|set|revoke|take</c>): each verb's JSON and its refusals, on a network of its own (creating a subnet doubles the lock
/// cost for the next).
/// </summary>
public sealed class CliLifecycleTests(CliNetwork network) : IClassFixture<CliNetwork>, IDisposable
{
    private readonly string _wallets = Directory.CreateTempSubdirectory("cli-lifecycle-").FullName;
    private readonly HttpMessageHandler _handler = network.Host.Server.CreateHandler();

    public void Dispose() => Directory.Delete(_wallets, recursive: true);

    private Task<CliRun> Run(string[] args) =>
        Cli.RunAsync([.. args, "--network", "http://localhost", "--wallet-path", _wallets], _handler, new Dictionary<string, string> { ["BITTENSOR_PASSWORD"] = "pw" });

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await Run([.. args, "--json"]);
        Assert.True(code == 0, $"{string.Join(' ', args)} → {code}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static string Address(JsonElement wallet, string key) => wallet.GetProperty(key).GetString()!;

    [Fact]
    public async Task SubnetsStartAndIdentity_AndStakeChild_GetSetTakeRevoke()
    {
        var owner = await Json("wallet", "create", "--wallet", "cowner");
        var child = await Json("wallet", "create", "--wallet", "cchild");
        await Json("wallet", "faucet", "--wallet", "cowner", "--amount", "2000");
        await Json("wallet", "faucet", "--wallet", "cchild", "--amount", "500");
        ushort n = (await Json("subnets", "create", "--wallet", "cowner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        // The test network starts subnets at creation, so start_call is refused with its code (exit 1).
        var start = await Run(["subnets", "start", "--wallet", "cowner", "--netuid", $"{n}", "--json"]);
        Assert.Equal(1, start.Code);
        Assert.Contains("FirstEmissionBlockNumberAlreadySet", start.Err);
        await Json("subnets", "identity", "--wallet", "cowner", "--netuid", $"{n}", "--subnet-name", "Apex", "--github-repo", "https://github.com/x/apex");
        var shown = await Json("subnets", "show", "--netuid", $"{n}");
        Assert.True(shown.GetProperty("started").GetBoolean());
        Assert.Equal("Apex", shown.GetProperty("identity").GetProperty("subnetName").GetString());
        Assert.Equal("", shown.GetProperty("identity").GetProperty("discord").GetString());
        var tooLong = await Run(["subnets", "identity", "--wallet", "cowner", "--netuid", $"{n}", "--subnet-name", new string('x', 257), "--json"]);
        Assert.Equal(1, tooLong.Code);
        Assert.Contains("InvalidIdentity", tooLong.Err);

        await Json("subnets", "register", "--wallet", "cchild", "--netuid", $"{n}");
        string ownerHot = Address(owner, "hotkey"), childHot = Address(child, "hotkey");
        await network.Host.Chain.ProduceBlocksAsync(1); // a call at block 0 would count as none for the rate limit
        var scheduled = await Json("stake", "child", "set", "--wallet", "cowner", "--netuid", $"{n}", "--children", childHot, "--proportions", "0.5");
        ulong cooldown = scheduled.GetProperty("result").GetProperty("amount").GetUInt64();
        var pending = await Json("stake", "child", "get", "--wallet", "cowner", "--netuid", $"{n}");
        Assert.Empty(pending.GetProperty("children").EnumerateArray());
        Assert.Equal(cooldown, pending.GetProperty("pending").GetProperty("cooldownBlock").GetUInt64());
        await network.Host.Chain.ProduceBlocksAsync(7); // past the test network's 5-block cooldown
        var inForce = await Json("stake", "child", "get", "--wallet", "cowner", "--netuid", $"{n}");
        var link = Assert.Single(inForce.GetProperty("children").EnumerateArray());
        Assert.Equal((childHot, ulong.MaxValue / 2), (link.GetProperty("hotkey").GetString(), link.GetProperty("proportion").GetUInt64()));
        Assert.Equal(JsonValueKind.Null, inForce.GetProperty("pending").ValueKind);
        var parents = await Json("stake", "child", "get", "--hotkey-address", childHot, "--netuid", $"{n}");
        Assert.Equal(ownerHot, Assert.Single(parents.GetProperty("parents").EnumerateArray()).GetProperty("hotkey").GetString());

        await Json("stake", "child", "take", "--wallet", "cchild", "--netuid", $"{n}", "--take", "0.05");
        Assert.Equal(3277, (await Json("stake", "child", "take", "--wallet", "cchild", "--netuid", $"{n}")).GetProperty("childkeyTake").GetInt32());
        Assert.Equal(2, (await Run(["stake", "child", "set", "--wallet", "cowner", "--netuid", $"{n}", "--children", childHot, "--proportions", "0.5,0.5"])).Code);
        var limited = await Run(["stake", "child", "revoke", "--wallet", "cowner", "--netuid", $"{n}", "--json"]); // within 150 blocks of the last
        Assert.Equal(1, limited.Code);
        Assert.Contains("TxRateLimitExceeded", limited.Err);
    }
}
