using System.Text.Json;
using Spectre.Console.Testing;

namespace Bittensor.Cli.Tests;

/// <summary>
/// The CLI on a terminal against a running network: masked password prompts, a quote to confirm before funds move
/// (skipped with --yes), a spinner only on the terminal, JSON that is the API's answer byte for byte, exit codes.
/// </summary>
public sealed class CliPromptTests(CliNetwork network) : IClassFixture<CliNetwork>, IDisposable
{
    private const string Bob = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    private readonly string _wallets = Directory.CreateTempSubdirectory("cli-prompts-").FullName;
    private readonly HttpMessageHandler _handler = network.Host.Server.CreateHandler();

    public void Dispose() => Directory.Delete(_wallets, recursive: true);

    private Task<CliRun> OnNetwork(string[] args, TestConsole? terminal = null, string? password = "pw") =>
        Cli.RunAsync([.. args, "--network", "http://localhost", "--wallet-path", _wallets], _handler,
            password is null ? null : new Dictionary<string, string> { ["BITTENSOR_PASSWORD"] = password }, terminal);

    private static TestConsole Terminal(params string[] answers)
    {
        var terminal = new TestConsole().Interactive().Width(200);
        foreach (string answer in answers) terminal.Input.PushTextWithEnter(answer);
        return terminal;
    }

    private async Task<ulong> BalanceOf(string wallet) =>
        JsonDocument.Parse((await OnNetwork(["wallet", "balance", "--wallet", wallet, "--json"])).Out).RootElement.GetProperty("balance").GetUInt64();

    private async Task FundedWallet(string wallet)
    {
        Assert.Equal(0, (await OnNetwork(["wallet", "create", "--wallet", wallet, "--json"])).Code);
        Assert.Equal(0, (await OnNetwork(["wallet", "faucet", "--wallet", wallet, "--amount", "100", "--json"])).Code);
    }

    [Fact]
    public async Task NoPassword_AndNoTerminal_ExitsTwoNamingTheEnvironmentVariable()
    {
        var (code, _, stderr) = await OnNetwork(["wallet", "create", "--wallet", "w"], password: null);
        Assert.Equal(2, code);
        Assert.Contains("BITTENSOR_PASSWORD", stderr);
    }

    [Fact]
    public async Task PasswordPrompt_IsMasked_AndTheKeyOpensWithIt()
    {
        var terminal = Terminal("s3cret-pw", "s3cret-pw");
        var (code, _, stderr) = await OnNetwork(["wallet", "create", "--wallet", "masked", "--json"], terminal, password: null);
        Assert.True(code == 0, stderr);
        Assert.Contains("coldkey password:", terminal.Output);
        Assert.Contains("repeat password:", terminal.Output);
        Assert.DoesNotContain("s3cret-pw", terminal.Output);
        Assert.Equal(0, (await OnNetwork(["wallet", "faucet", "--wallet", "masked", "--amount", "1"], password: "s3cret-pw")).Code);
        Assert.Equal(1, (await OnNetwork(["wallet", "faucet", "--wallet", "masked", "--amount", "1"], password: "other")).Code);
    }

    [Fact]
    public async Task Spending_ShowsTheQuote_AndDeclining_SubmitsNothing()
    {
        await FundedWallet("payer");
        var terminal = Terminal("n");
        var (code, _, stderr) = await OnNetwork(["wallet", "transfer", "--wallet", "payer", "--dest", Bob, "--amount", "2.5"], terminal);
        Assert.Equal(1, code);
        Assert.Contains("cancelled; nothing was submitted", stderr);
        Assert.Contains("2.5 TAO", terminal.Output);
        Assert.Contains(Bob, terminal.Output);
        Assert.Contains("balance now", terminal.Output);
        Assert.Contains("Submit?", terminal.Output);
        Assert.Equal(100 * Tao.Rao, await BalanceOf("payer"));
    }

    [Fact]
    public async Task Spending_Confirmed_Submits_WithASpinnerOnTheTerminalOnly()
    {
        await FundedWallet("confirmer");
        var terminal = Terminal("y");
        var (code, stdout, stderr) = await OnNetwork(["wallet", "transfer", "--wallet", "confirmer", "--dest", Bob, "--amount", "2.5"], terminal);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("included in block", stdout);
        Assert.DoesNotContain("\u001b", stdout);
        Assert.Equal(97_500_000_000UL, await BalanceOf("confirmer"));
    }

    [Fact]
    public async Task Yes_SkipsTheConfirmation()
    {
        await FundedWallet("decided");
        var terminal = Terminal(); // no answer to give: a prompt would fail the run
        var (code, _, stderr) = await OnNetwork(["wallet", "transfer", "--wallet", "decided", "--dest", Bob, "--amount", "1", "--yes"], terminal);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Submit?", terminal.Output);
        Assert.Equal(99 * Tao.Rao, await BalanceOf("decided"));
    }

    [Fact]
    public async Task StakeQuote_ShowsThePriceAndTheExpectedAlpha()
    {
        await FundedWallet("owner");
        Assert.Equal(0, (await OnNetwork(["wallet", "faucet", "--wallet", "owner", "--amount", "1000", "--json"])).Code);
        var created = await OnNetwork(["subnets", "create", "--wallet", "owner", "--json"]);
        string netuid = JsonDocument.Parse(created.Out).RootElement.GetProperty("result").GetProperty("netuid").ToString();
        var terminal = Terminal("n");
        var (code, _, _) = await OnNetwork(["stake", "add", "--wallet", "owner", "--netuid", netuid, "--amount", "10"], terminal);
        Assert.Equal(1, code);
        Assert.Contains("TAO per alpha", terminal.Output);
        Assert.Contains("alpha", terminal.Output);
        Assert.Contains("price impact", terminal.Output);
    }

    [Fact]
    public async Task Json_IsTheApisAnswerByteForByte_AndTablesCarryNoEscapeCodes()
    {
        await FundedWallet("reader");
        Assert.Equal(0, (await OnNetwork(["wallet", "faucet", "--wallet", "reader", "--amount", "1000", "--json"])).Code);
        Assert.Equal(0, (await OnNetwork(["subnets", "create", "--wallet", "reader", "--json"])).Code);
        var http = network.Host.CreateClient();
        foreach (var (verb, path) in new[]
                 {
                     ("subnets list", "/api/subnets"), ("chain info", "/api/chain"), ("chain blocks", "/api/blocks"),
                     ("chain events --kind Faucet", "/api/events?kind=Faucet"),
                 })
        {
            var json = await OnNetwork([.. verb.Split(' '), "--json"]);
            Assert.Equal(await http.GetStringAsync(path) + "\n", json.Out.ReplaceLineEndings("\n"));
            var table = await OnNetwork(verb.Split(' '));
            Assert.Equal(0, table.Code);
            Assert.DoesNotContain("\u001b", table.Out);
        }
    }

    [Fact]
    public async Task ChainWatch_PrintsTheStreamsEvents_FromAnId_AsJsonLines()
    {
        await FundedWallet("watcher");
        Assert.Equal(0, (await OnNetwork(["wallet", "faucet", "--wallet", "watcher", "--amount", "5", "--json"])).Code);
        var http = network.Host.CreateClient();
        var expected = JsonDocument.Parse(await http.GetStringAsync("/api/events?kind=Faucet&limit=2")).RootElement.GetProperty("events")
            .EnumerateArray().Select(e => e.GetRawText()).ToList();
        Assert.Equal(2, expected.Count);
        var watched = await OnNetwork(["chain", "watch", "--kind", "Faucet", "--after", "0", "--count", "2", "--json"]);
        Assert.Equal(0, watched.Code);
        Assert.Equal(expected, watched.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var table = await OnNetwork(["chain", "watch", "--kind", "Faucet", "--after", "0", "--count", "1"]);
        Assert.StartsWith($"#{JsonDocument.Parse(expected[0]).RootElement.GetProperty("id")} block ", table.Out);
        Assert.Contains(" Faucet ", table.Out);
        Assert.Contains("coldkey=", table.Out);
    }

    [Theory]
    [InlineData(1, "chain", "events", "--kind", "Nope")]
    [InlineData(1, "chain", "blocks", "--limit", "1000")]
    [InlineData(2, "wallet", "frobnicate")]
    [InlineData(2, "subnets", "metagraph", "--netuid", "lots")]
    [InlineData(2, "wallet", "balance", "--address", "not-an-address")]
    [InlineData(2, "subnets", "show")]
    [InlineData(1, "subnets", "show", "--netuid", "999")]
    [InlineData(0, "subnets", "list")]
    public async Task ExitCodes_AreZeroOneTwo(int expected, params string[] args)
    {
        var (code, _, stderr) = await OnNetwork(args);
        Assert.Equal(expected, code);
        if (expected != 0) Assert.Single(stderr.Trim().Split('\n'));
    }
}
