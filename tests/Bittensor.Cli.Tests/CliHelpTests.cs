namespace Bittensor.Cli.Tests;

/// <summary>What a person meets before any network: help for every verb, shell completion, the refused password argument, exit codes.</summary>
public sealed class CliHelpTests : IDisposable
{
    private readonly string _wallets = Directory.CreateTempSubdirectory("cli-help-").FullName;

    public void Dispose() => Directory.Delete(_wallets, recursive: true);

    /// <summary>Every verb of the contract: their names do not change (scripts call them).</summary>
    public static TheoryData<string> Verbs() =>
    [
        "epoch", "block-emission", "bench epoch", "bench network",
        "wallet create", "wallet list", "wallet balance", "wallet transfer", "wallet faucet",
        "subnets list", "subnets show", "subnets create", "subnets register", "subnets metagraph", "subnets hyperparameters", "subnets set",
        "subnets start", "subnets identity", "stake child get", "stake child set", "stake child revoke", "stake child take",
        "stake add", "stake remove", "stake list", "stake move", "stake transfer", "stake swap", "stake unstake-all", "stake claim", "root register", "weights set", "weights commit",
        "weights reveal", "axon serve", "chain info", "chain blocks", "chain events", "chain watch", "sudo set-take", "sudo get-take", "completion",
    ];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerb_HasItsOwnHelp(string verb)
    {
        var (code, stdout, stderr) = await Cli.RunAsync([.. verb.Split(' '), "--help"]);
        Assert.True(code == 0, stderr);
        Assert.Contains($"bittensor {verb}", stdout);
        Assert.Contains("Usage:", stdout);
        Assert.DoesNotContain("--password", stdout);
    }

    [Theory]
    [InlineData("stake add", "--netuid", "--amount", "--limit-price", "--allow-partial", "--yes")]
    [InlineData("stake move", "--origin-netuid", "--dest-netuid", "--dest-hotkey", "--amount", "--yes", "--json")]
    [InlineData("stake transfer", "--origin-netuid", "--dest-netuid", "--dest", "--amount", "--yes", "--json")]
    [InlineData("stake swap", "--origin-netuid", "--dest-netuid", "--amount", "--limit-price", "--allow-partial", "--yes", "--json")]
    [InlineData("stake unstake-all", "--hotkey-address", "--alpha-only", "--yes", "--json")]
    [InlineData("wallet transfer", "--dest", "--amount", "--yes", "--json")]
    [InlineData("subnets start", "--netuid", "--json")]
    [InlineData("stake claim", "--netuids", "--type", "--json")]
    [InlineData("root register", "--hotkey-address", "--json")]
    [InlineData("stake child set", "--netuid", "--children", "--proportions", "--hotkey-address", "--json")]
    [InlineData("stake child take", "--netuid", "--take", "--hotkey-address", "--json")]
    [InlineData("subnets identity", "--netuid", "--subnet-name", "--github-repo", "--subnet-contact", "--subnet-url", "--discord", "--description", "--logo-url", "--additional", "--json")]
    [InlineData("bench network", "--subnets", "--block-time", "--storage", "--json")]
    [InlineData("epoch", "--cases", "--arithmetic", "--output")]
    [InlineData("weights reveal", "--uids", "--weights", "--salt", "--version-key", "--json")]
    [InlineData("chain blocks", "--from", "--limit", "--json")]
    [InlineData("chain events", "--block", "--kind", "--account", "--netuid", "--after", "--limit", "--json")]
    [InlineData("chain watch", "--kind", "--netuid", "--account", "--after", "--count", "--json")]
    public async Task VerbHelp_DescribesItsOptions(string verb, params string[] options)
    {
        var (_, stdout, _) = await Cli.RunAsync([.. verb.Split(' '), "--help"]);
        foreach (string option in options) Assert.Contains(option, stdout);
    }

    [Fact]
    public async Task NoVerb_ShowsTheVerbs_AndExitsTwo_WhileHelpExitsZero()
    {
        var (none, listing, _) = await Cli.RunAsync([]);
        Assert.Equal(2, none);
        foreach (string group in new[] { "epoch", "wallet", "subnets", "stake", "weights", "axon", "chain", "completion" }) Assert.Contains(group, listing);
        Assert.Equal(0, (await Cli.RunAsync(["help"])).Code);
        Assert.Equal(0, (await Cli.RunAsync(["--help"])).Code);
    }

    [Theory]
    [InlineData("--password", "secret")]
    [InlineData("--password=secret")]
    public async Task PasswordArgument_IsRefused_WithExitTwo(params string[] password)
    {
        var (code, stdout, stderr) = await Cli.RunAsync(["wallet", "create", "--wallet", "w", "--wallet-path", _wallets, .. password]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: '--password' is not accepted", stderr);
        Assert.Contains("BITTENSOR_PASSWORD", stderr);
        Assert.False(Directory.Exists(Path.Combine(_wallets, "w")), "nothing was created");
    }

    [Fact]
    public async Task Completion_PrintsScripts_AndAnswersTheSuggestDirective()
    {
        var (bash, script, _) = await Cli.RunAsync(["completion", "bash"]);
        Assert.Equal(0, bash);
        Assert.Contains("complete -o default -F _bittensor_complete bittensor", script);
        Assert.Equal(0, (await Cli.RunAsync(["completion", "zsh"])).Code);
        Assert.Equal(0, (await Cli.RunAsync(["completion", "pwsh"])).Code);
        Assert.Equal(2, (await Cli.RunAsync(["completion", "fish"])).Code);

        Assert.Contains("transfer", (await Cli.RunAsync(["[suggest:9]", "wallet tr"])).Out.Split('\n', StringSplitOptions.TrimEntries));
        var verbs = (await Cli.RunAsync(["[suggest:6]", "stake "])).Out.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("add", verbs);
        Assert.Contains("remove", verbs);
        Assert.Contains("list", verbs);
        Assert.Contains("move", verbs);
        Assert.Contains("unstake-all", verbs);
        var values = (await Cli.RunAsync(["[suggest:19]", "epoch --arithmetic "])).Out.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal(["exact", "fast", "naive"], values.Where(v => v.Length > 0));
    }

    [Fact]
    public async Task Completion_OffersTheWalletsInTheWalletPath()
    {
        var created = await Cli.RunAsync(["wallet", "create", "--wallet", "alice", "--wallet-path", _wallets, "--json"],
            environment: new Dictionary<string, string> { ["BITTENSOR_PASSWORD"] = "pw" });
        Assert.Equal(0, created.Code);
        string line = $"wallet balance --wallet-path {_wallets} --wallet ";
        var wallets = (await Cli.RunAsync([$"[suggest:{line.Length}]", line])).Out.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("alice", wallets);
    }
}
