using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console.Testing;

namespace Bittensor.Cli.Tests;

/// <summary>
/// Moving stake from the command line, in btcli's words (<c>stake move|transfer|swap|unstake-all</c>, limit prices on
/// add/remove/swap): each verb's JSON, its refusals, and the quote shown before asking to submit.
/// </summary>
public sealed class CliStakeTests(CliNetwork network) : IClassFixture<CliNetwork>, IDisposable
{
    private readonly string _wallets = Directory.CreateTempSubdirectory("cli-stake-").FullName;
    private readonly HttpMessageHandler _handler = network.Host.Server.CreateHandler();

    public void Dispose() => Directory.Delete(_wallets, recursive: true);

    private Task<CliRun> Run(string[] args, TestConsole? terminal = null) =>
        Cli.RunAsync([.. args, "--network", "http://localhost", "--wallet-path", _wallets], _handler,
            new Dictionary<string, string> { ["BITTENSOR_PASSWORD"] = "pw" }, terminal);

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await Run([.. args, "--json"]);
        Assert.True(code == 0, $"{string.Join(' ', args)} → {code}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    /// <summary>The wallet's stakes as (hotkey, netuid) → alpha.</summary>
    private async Task<Dictionary<(string, ushort), ulong>> Stakes(string wallet) =>
        (await Json("stake", "list", "--wallet", wallet)).EnumerateArray()
            .ToDictionary(s => (s.GetProperty("hotkey").GetString()!, s.GetProperty("netuid").GetUInt16()), s => s.GetProperty("alpha").GetUInt64());

    private static string Address(JsonElement wallet, string key) => wallet.GetProperty(key).GetString()!;

    /// <summary>Alpha that <paramref name="coldkey"/> stakes on <paramref name="hotkey"/> in the subnet, from the REST API.</summary>
    private async Task<ulong> StakeOn(string hotkey, ushort netuid, string coldkey) =>
        (await network.Host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/hotkeys/{hotkey}")).GetProperty("stakes").EnumerateArray()
            .Where(s => s.GetProperty("netuid").GetUInt16() == netuid && s.GetProperty("coldkey").GetString() == coldkey)
            .Select(s => s.GetProperty("alpha").GetUInt64()).SingleOrDefault();

    [Fact]
    public async Task StakeVerbs_MoveTransferSwapAndUnstakeAll_WithLimitsAndRefusals()
    {
        var owner = await Json("wallet", "create", "--wallet", "sowner");
        var val = await Json("wallet", "create", "--wallet", "sval");
        var friend = await Json("wallet", "create", "--wallet", "sfriend");
        await Json("wallet", "faucet", "--wallet", "sowner", "--amount", "2000");
        await Json("wallet", "faucet", "--wallet", "sval", "--amount", "500");
        ushort a = (await Json("subnets", "create", "--wallet", "sowner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        ushort b = (await Json("subnets", "create", "--wallet", "sowner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        await Json("subnets", "register", "--wallet", "sval", "--netuid", $"{a}");
        await Json("stake", "add", "--wallet", "sval", "--netuid", $"{a}", "--amount", "50");
        string valHot = Address(val, "hotkey"), ownerHot = Address(owner, "hotkey");
        ulong staked = (await Stakes("sval"))[(valHot, a)];

        await Json("stake", "move", "--wallet", "sval", "--origin-netuid", $"{a}", "--dest-hotkey", ownerHot, "--amount", "5");
        Assert.Equal(staked - 5 * Tao.Rao, (await Stakes("sval"))[(valHot, a)]);
        Assert.Equal(5 * Tao.Rao, await StakeOn(ownerHot, a, Address(val, "coldkey"))); // 'stake list' shows the wallet's own hotkeys only

        var swapped = await Json("stake", "swap", "--wallet", "sval", "--origin-netuid", $"{a}", "--dest-netuid", $"{b}", "--amount", "5");
        Assert.Equal(swapped.GetProperty("result").GetProperty("amount").GetUInt64(), (await Stakes("sval"))[(valHot, b)]);

        await Json("stake", "transfer", "--wallet", "sval", "--origin-netuid", $"{a}", "--dest", Address(friend, "coldkey"), "--amount", "1");
        Assert.Equal(Tao.Rao, await StakeOn(valHot, a, Address(friend, "coldkey")));

        // A limit far above the price ratio: nothing fits (exit 1 with the rule's code); --allow-partial needs a limit (exit 2).
        var refused = await Run(["stake", "swap", "--wallet", "sval", "--origin-netuid", $"{a}", "--dest-netuid", $"{b}", "--amount", "1", "--limit-price", "1000", "--allow-partial"]);
        Assert.Equal(1, refused.Code);
        Assert.Contains("SlippageTooHigh", refused.Err);
        Assert.Equal(2, (await Run(["stake", "add", "--wallet", "sval", "--netuid", $"{a}", "--amount", "1", "--allow-partial"])).Code);
        var partial = await Json("stake", "remove", "--wallet", "sval", "--netuid", $"{a}", "--amount", "1", "--limit-price", "0.000001", "--allow-partial");
        Assert.True(partial.GetProperty("result").GetProperty("amount").GetUInt64() > 0);

        var all = await Json("stake", "unstake-all", "--wallet", "sval");
        Assert.True(all.GetProperty("result").GetProperty("amount").GetUInt64() > 0);
        Assert.Empty(await Stakes("sval"));
        Assert.Equal(5 * Tao.Rao, await StakeOn(ownerHot, a, Address(val, "coldkey"))); // another hotkey: not unstaked
        Assert.Equal(1, (await Run(["stake", "unstake-all", "--wallet", "sval", "--json"])).Code); // nothing left on the hotkey: AmountTooLow
    }

    [Fact]
    public async Task RootVerbs_RegisterOnRoot_StakeTaoThere_AndClaim()
    {
        var wallet = await Json("wallet", "create", "--wallet", "rootw");
        await Json("wallet", "faucet", "--wallet", "rootw", "--amount", "100");
        string hot = Address(wallet, "hotkey"), cold = Address(wallet, "coldkey");
        var registered = await Json("root", "register", "--wallet", "rootw");
        Assert.Equal(0, registered.GetProperty("result").GetProperty("netuid").GetInt32());
        Assert.Equal(1, (await Run(["root", "register", "--wallet", "rootw", "--json"])).Code); // AlreadyRegistered
        await Json("stake", "add", "--wallet", "rootw", "--netuid", "0", "--amount", "10", "--yes");
        Assert.Equal(10 * Tao.Rao, await StakeOn(hot, 0, cold)); // TAO on root, 1:1
        var view = await network.Host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/hotkeys/{hot}");
        Assert.Equal(10 * Tao.Rao, view.GetProperty("rootStake").GetUInt64());

        var claimed = await Json("stake", "claim", "--wallet", "rootw", "--netuids", "1");
        Assert.Equal(0UL, claimed.GetProperty("result").GetProperty("amount").GetUInt64()); // nothing owed yet: no error
        await Json("stake", "claim", "--wallet", "rootw", "--type", "Keep");
        var account = await network.Host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/accounts/{cold}");
        Assert.Equal("Keep", account.GetProperty("rootClaimType").GetString());
        Assert.Equal(hot, account.GetProperty("rootHotkeys")[0].GetString());
        var tooMany = await Run(["stake", "claim", "--wallet", "rootw", "--netuids", "1,2,3,4,5,6", "--json"]);
        Assert.Equal(1, tooMany.Code);
        Assert.Contains("InvalidSubnetNumber", tooMany.Err);
        Assert.Equal(2, (await Run(["stake", "claim", "--wallet", "rootw", "--type", "keep"])).Code);
    }

    [Fact]
    public async Task SudoSetTake_CutsAtOnce_AndRaisesOnlyAfterTheRateLimit()
    {
        var owner = await Json("wallet", "create", "--wallet", "towner");
        await Json("wallet", "faucet", "--wallet", "towner", "--amount", "2000");
        await Json("subnets", "create", "--wallet", "towner");
        await network.Host.Chain.ProduceBlocksAsync(1); // a take changed at block 0 would count as never changed
        Assert.Equal(11_796, (await Json("sudo", "get-take", "--wallet", "towner")).GetProperty("take").GetInt32());
        await Json("sudo", "set-take", "--wallet", "towner", "--take", "0.09");
        var take = await Json("sudo", "get-take", "--hotkey-address", Address(owner, "hotkey"));
        Assert.Equal(5898, take.GetProperty("take").GetInt32());
        var raise = await Run(["sudo", "set-take", "--wallet", "towner", "--take", "0.1", "--json"]);
        Assert.Equal(1, raise.Code);
        Assert.Contains("DelegateTxRateLimitExceeded", raise.Err);
        Assert.Equal(2, (await Run(["sudo", "set-take", "--wallet", "towner", "--take", "0.5"])).Code); // above 18%: a usage error
    }

    [Fact]
    public async Task StakeQuotes_ShowAmountOutFeeAndPriceImpact_BeforeAsking()
    {
        await Json("wallet", "create", "--wallet", "qowner");
        await Json("wallet", "faucet", "--wallet", "qowner", "--amount", "2000");
        ushort a = (await Json("subnets", "create", "--wallet", "qowner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        ushort b = (await Json("subnets", "create", "--wallet", "qowner")).GetProperty("result").GetProperty("netuid").GetUInt16();
        await Json("stake", "add", "--wallet", "qowner", "--netuid", $"{a}", "--amount", "20");

        var terminal = new TestConsole().Interactive().Width(200);
        terminal.Input.PushTextWithEnter("n");
        var add = await Run(["stake", "add", "--wallet", "qowner", "--netuid", $"{b}", "--amount", "10"], terminal);
        Assert.Equal(1, add.Code);
        foreach (string line in new[] { "TAO per alpha", "expected", "fee", "price impact", "Submit?" }) Assert.Contains(line, terminal.Output);

        terminal = new TestConsole().Interactive().Width(200);
        terminal.Input.PushTextWithEnter("n");
        var swap = await Run(["stake", "swap", "--wallet", "qowner", "--origin-netuid", $"{a}", "--dest-netuid", $"{b}", "--amount", "2"], terminal);
        Assert.Equal(1, swap.Code);
        foreach (string line in new[] { $"subnet {a}: expected", $"subnet {b}: expected", "no fee on this leg", $"subnet {a}: price impact" })
            Assert.Contains(line, terminal.Output);
    }
}
