using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bittensor.Keys;
using Microsoft.Playwright;

namespace Bittensor.Explorer.Tests;

/// <summary>The explorer's pages in a real browser (Chromium through Playwright) against a live network; a screenshot of each.</summary>
public sealed partial class ExplorerPageTests(ExplorerNetwork network, ITestOutputHelper output) : IClassFixture<ExplorerNetwork>, IAsyncLifetime
{
    /// <summary>The page polls every 2 s: the block it shows may lag the chain by that much, plus a fetch.</summary>
    private static readonly ulong MaxLagBlocks = (ulong)(3.0 / ExplorerNetwork.BlockSeconds);

    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _errors = [];

    public async ValueTask InitializeAsync()
    {
        _context = await network.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        _page = await _context.NewPageAsync();
        _page.Console += (_, m) => { if (m.Type == "error") _errors.Add(m.Text); };
        _page.PageError += (_, e) => _errors.Add(e);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        Assert.True(_errors.Count == 0, "browser errors: " + string.Join(" | ", _errors));
    }

    private async Task Open(string hash, string readySelector)
    {
        await _page.GotoAsync($"{network.BaseUrl}/{hash}");
        try
        {
            await _page.WaitForSelectorAsync(readySelector, new() { Timeout = 10_000 });
        }
        catch (TimeoutException e)
        {
            string shown = await _page.EvaluateAsync<string>("() => document.body.innerText");
            throw new TimeoutException($"{hash}: no '{readySelector}' after 10 s; the page shows:\n{shown}", e);
        }
    }

    private async Task Screenshot(string name, bool fullPage = true)
    {
        string path = Path.Combine(ExplorerNetwork.ScreenshotFolder, name + ".png");
        await _page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
    }

    private Task<JsonElement> Api(string path) => network.Http.GetFromJsonAsync<JsonElement>(path);

    [Fact]
    public async Task Root_ServesTheExplorer_AndSwaggerDashboardAndApiStayWhereTheyWere()
    {
        var root = await network.Http.GetAsync("/");
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", root.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("explorer.js", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var path in new[] { "/explorer.js", "/explorer.css", "/swagger/index.html", "/dashboard", "/api/chain" })
            Assert.True((await network.Http.GetAsync(path)).IsSuccessStatusCode, path);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await network.Http.GetAsync("/api/no-such-thing")).StatusCode);
    }

    [Fact]
    public async Task Overview_ShowsTheChainsBlock_AndUpdatesItLive()
    {
        await Open("", "[data-testid=chain-block]");
        ulong before = await network.BlockAsync();
        ulong shown = ulong.Parse((await _page.TextContentAsync("[data-testid=chain-block]"))!.Replace(",", ""), CultureInfo.InvariantCulture);
        ulong after = await network.BlockAsync();
        Assert.InRange(shown, before - Math.Min(before, MaxLagBlocks), after);

        // Live: the number moves without a reload (the page polls every 2 s).
        await Assertions.Expect(_page.Locator("[data-testid=chain-block]")).Not.ToHaveTextAsync(shown.ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 6_000 });
        var row = _page.Locator("#subnets tbody tr", new() { HasText = $"SN {network.Netuid}" });
        await Assertions.Expect(row).ToContainTextAsync("matmul");
        await Screenshot("overview");
    }

    [Fact]
    public async Task SubnetsTable_ShowsPricePoolsShareNeuronsTempoAndTask()
    {
        await Open("#/subnets", "#subnets tbody tr");
        var subnet = await Api($"/api/subnets/{network.Netuid}");
        var cells = await _page.Locator("#subnets tbody tr", new() { HasText = $"SN {network.Netuid}" }).Locator("td").AllTextContentsAsync();
        Assert.Equal("matmul", cells[1]);
        Assert.Contains("τ", cells[3]);
        Assert.Contains("α", cells[4]);
        Assert.Equal("100.00 %", cells[5].Trim()); // the only subnet takes the whole emission
        Assert.Equal(subnet.GetProperty("n").GetInt32().ToString(CultureInfo.InvariantCulture), cells[6]);
        Assert.Equal("10", cells[7]);
        await Screenshot("subnets");
    }

    [Fact]
    public async Task SubnetPage_ListsEveryHotkey_SortsByStake_AndChartsTheEpochs()
    {
        await Open($"#/subnet/{network.Netuid}", "#metagraph tbody tr");
        var hotkeys = new[] { network.OwnerHot }.Concat(network.Validators.Select(v => v.Hot)).Concat(network.Miners.Select(m => m.Hot));
        foreach (var hot in hotkeys)
            await Assertions.Expect(_page.Locator($"#metagraph a[title='{hot.Address}']")).ToHaveCountAsync(1);
        Assert.Equal("0", (await Uids())[0]);

        await _page.ClickAsync("#metagraph button[data-sort=stake]");
        await Assertions.Expect(_page.Locator("#metagraph th[aria-sort=descending] button[data-sort=stake]")).ToHaveCountAsync(1);
        var descending = await Stakes();
        Assert.Equal(descending.OrderByDescending(s => s), descending);
        Assert.NotEqual("0", (await Uids())[0]); // the owner's hotkey holds the least stake: the rows moved
        Assert.Contains(network.Validators[0].Hot.Address, await _page.Locator("#metagraph tbody tr").First.InnerHTMLAsync());

        await _page.ClickAsync("#metagraph button[data-sort=stake]");
        await Assertions.Expect(_page.Locator("#metagraph th[aria-sort=ascending] button[data-sort=stake]")).ToHaveCountAsync(1);
        var ascending = await Stakes();
        Assert.Equal(ascending.OrderBy(s => s), ascending);

        foreach (var chart in new[] { "chart-incentive", "chart-dividends" })
            Assert.True(await _page.Locator($"[data-testid={chart}] path[d*='L']").CountAsync() >= 1, $"{chart} draws no line over several epochs");
        await Assertions.Expect(_page.Locator("#hyperparameters")).ToContainTextAsync("weights_rate_limit".Replace("_", "", StringComparison.Ordinal), new() { IgnoreCase = true });
        await _page.ClickAsync("#metagraph button[data-sort=stake]");
        await Assertions.Expect(_page.Locator("#metagraph th[aria-sort=descending] button[data-sort=stake]")).ToHaveCountAsync(1);
        await Screenshot("subnet");
        await Screenshot("subnet-viewport", fullPage: false); // docs/explorer.png
    }

    private Task<IReadOnlyList<string>> Uids() => _page.Locator("#metagraph tbody tr td:first-child").AllTextContentsAsync();

    /// <summary>The stake column in row order, exact rao (from each amount's title "… (N rao)"), read in one go.</summary>
    private async Task<List<ulong>> Stakes()
    {
        int column = await _page.EvaluateAsync<int>("[...document.querySelectorAll('#metagraph thead th')].findIndex(th => th.querySelector('[data-sort=stake]'))");
        var titles = await _page.EvaluateAsync<string[]>(
            $"[...document.querySelectorAll('#metagraph tbody tr')].map(tr => tr.children[{column}].querySelector('[title]').title)");
        return titles.Select(t => ulong.Parse(RaoInTitle().Match(t).Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture)).ToList();
    }

    [GeneratedRegex(@"\(([\d,]+) rao\)")]
    private static partial Regex RaoInTitle();

    [Fact]
    public async Task HotkeyPage_ShowsTheNeuron_ItsStakeAndAxon()
    {
        var (cold, hot) = network.Validators[0];
        await Open($"#/hotkey/{hot.Address}", "#hotkey-neurons tbody tr");
        await Assertions.Expect(_page.Locator("#hotkey-neurons tbody tr")).ToContainTextAsync($"SN {network.Netuid}");
        await Assertions.Expect(_page.Locator($"#hotkey-stakes a[title='{cold.Address}']")).ToHaveCountAsync(1);
        Assert.True(await _page.Locator("[data-testid=hotkey-chart-dividends] path[d*='L']").CountAsync() >= 1, "the validator's dividends over the epochs are not drawn");
        await Screenshot("hotkey");

        await Open($"#/hotkey/{network.Miners[0].Hot.Address}", "#hotkey-axons tbody tr");
        await Assertions.Expect(_page.Locator("#hotkey-axons tbody tr")).ToContainTextAsync("miner-0");
        await Assertions.Expect(_page.Locator("#hotkey-axons tbody tr")).ToContainTextAsync("127.0.0.1:8091");
    }

    [Fact]
    public async Task RootStake_ShowsOnTheHotkeyPage_AndInTheMetagraphsRootColumn()
    {
        var (cold, hot) = network.Validators[1];
        await network.Send(cold, "add_stake", new JsonObject { ["hotkey"] = hot.Address, ["netuid"] = 0, ["amount"] = 7 * Tao.Rao });
        await Open($"#/hotkey/{hot.Address}", "[data-testid=hotkey-root-stake]");
        await Assertions.Expect(_page.Locator("[data-testid=hotkey-root-stake]")).ToContainTextAsync("7.0000 τ");
        await Assertions.Expect(_page.Locator("#hotkey-stakes tbody tr", new() { HasText = "root" })).ToContainTextAsync("7.0000 τ");

        // The metagraph's tao_stake comes from the next epoch's inputs: the subnet page shows it once that epoch lands.
        await Open($"#/subnet/{network.Netuid}", "#metagraph tbody tr");
        var row = _page.Locator("#metagraph tbody tr").Filter(new() { Has = _page.Locator($"a[title='{hot.Address}']") });
        await Assertions.Expect(row).ToContainTextAsync("7.0000 τ", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task AccountPage_ShowsTheBalanceToTheRao_AndTheHotkeys()
    {
        var (cold, hot) = network.Validators[1];
        await Open($"#/account/{cold.Address}", "#account-hotkeys tbody tr");
        var account = await Api($"/api/accounts/{cold.Address}");
        string title = (await _page.Locator("[data-testid=account-balance] [title]").GetAttributeAsync("title"))!;
        Assert.Equal(account.GetProperty("balance").GetUInt64().ToString("N0", CultureInfo.InvariantCulture), RaoInTitle().Match(title).Groups[1].Value);
        await Assertions.Expect(_page.Locator("#account-hotkeys")).ToContainTextAsync(hot.Address);
        await Screenshot("account");

        // What a user types reaches the DOM as text only: markup in an address is shown, not run.
        const string markup = "<img src=x id=injected>";
        await Open($"#/account/{Uri.EscapeDataString(markup)}", ".error-box");
        await Assertions.Expect(_page.Locator(".error-box")).ToContainTextAsync("not a valid address");
        await Assertions.Expect(_page.Locator(".error-box")).ToContainTextAsync(markup);
        Assert.Equal(0, await _page.Locator("#injected, main img").CountAsync());
        _errors.RemoveAll(e => e.Contains("400", StringComparison.Ordinal)); // the browser logs the failed fetch
    }

    [Fact]
    public async Task EpochViewer_ShowsTheInputsAndOutputsOfARecordedEpoch()
    {
        ulong latest = network.PayingEpoch;
        var record = await Api($"/api/subnets/{network.Netuid}/epochs/{latest}");
        await Open($"#/subnet/{network.Netuid}/epoch/{latest}", "#epoch-uids tbody tr");
        var incentive = record.GetProperty("outputs").GetProperty("incentive").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(incentive.Length, await _page.Locator("#epoch-uids tbody tr").CountAsync());
        int column = await _page.EvaluateAsync<int>("[...document.querySelectorAll('#epoch-uids thead th')].findIndex(th => th.textContent === 'Incentive')");
        var shown = await _page.EvaluateAsync<string[]>($"[...document.querySelectorAll('#epoch-uids tbody tr')].map(tr => tr.children[{column}].querySelector('[title]').title)");
        Assert.Equal(incentive.Select(v => $"{v} / 65535"), shown);
        Assert.Contains(incentive, v => v > 0);
        await Assertions.Expect(_page.Locator("#epoch-params")).ToContainTextAsync("kappa");

        // A recorded epoch never changes, so polling does not re-render it: what the reader opened stays open.
        await _page.ClickAsync("summary:has-text('outputs')");
        await Assertions.Expect(_page.Locator("details[open] pre")).ToContainTextAsync("\"incentive\"");
        string block = (await _page.TextContentAsync("#live"))!;
        await Assertions.Expect(_page.Locator("#live")).Not.ToHaveTextAsync(block, new() { Timeout = 6_000 });
        await Assertions.Expect(_page.Locator("details[open] pre")).ToHaveCountAsync(1);
        await Screenshot("epoch");
    }

    [Fact]
    public async Task EventsPage_ShowsANewTransfer_ThroughTheEventStream_WithoutAReload()
    {
        await Open("#/events", "#events tbody tr");
        await Assertions.Expect(_page.Locator("body[data-stream=open]")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(_page.Locator("#live")).ToContainTextAsync("stream");
        var dest = KeyPair.Generate();
        await network.Send(network.Miners[1].Cold, "transfer", new JsonObject { ["dest"] = dest.Address, ["amount"] = Tao.Rao });
        var row = _page.Locator("#events tbody tr", new() { HasText = "Transfer" }).Filter(new() { Has = _page.Locator($"a[title='{dest.Address}']") });
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync("1.0000 τ");
        // It came through the stream: the page's own copy of the streamed events holds it (the page was never reloaded).
        Assert.True(await _page.EvaluateAsync<bool>(
            $"() => liveStream.recent.some(e => e.kind === 'Transfer' && e.destColdkey === '{dest.Address}' && e.tao === {Tao.Rao})"));
        await Screenshot("events");
    }

    [Fact]
    public async Task BlockPage_ShowsATransactionsExtrinsicAndEvents_AndTheBlocksPageListsTheLatest()
    {
        var dest = KeyPair.Generate();
        var sent = await network.Send(network.Miners[0].Cold, "transfer", new JsonObject { ["dest"] = dest.Address, ["amount"] = 2 * Tao.Rao });
        ulong block = sent.GetProperty("block").GetUInt64();
        await Open($"#/block/{block}", "#block-extrinsics tbody tr");
        var extrinsic = _page.Locator("#block-extrinsics tbody tr", new() { HasText = "transfer" })
            .Filter(new() { Has = _page.Locator($"a[title='{network.Miners[0].Cold.Address}']") });
        await Assertions.Expect(extrinsic).ToContainTextAsync("applied");
        await Assertions.Expect(_page.Locator("#block-events tbody tr", new() { HasText = "Transfer" }).Locator($"a[title='{dest.Address}']")).ToHaveCountAsync(1);
        // The page follows the block until the next one seals it: then its hash is shown, as the API has it.
        await Assertions.Expect(_page.Locator("[data-testid=block-cards]")).ToContainTextAsync("sealed", new() { Timeout = 10_000 });
        string hash = (await Api($"/api/blocks/{block}")).GetProperty("hash").GetString()!;
        await Assertions.Expect(_page.Locator($"[data-testid=block-cards] [title='{hash}']")).ToHaveCountAsync(1);
        await Screenshot("block");

        await Open("#/blocks", "#blocks tbody tr");
        var numbers = (await _page.Locator("#blocks tbody tr td:first-child").AllTextContentsAsync())
            .Select(t => ulong.Parse(t.TrimStart('#').Replace(",", ""), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(20, numbers.Count);
        Assert.Equal(numbers.OrderByDescending(n => n), numbers);
        Assert.True(numbers[0] >= block, $"the newest block shown, {numbers[0]}, is older than the transfer's {block}");
        await Screenshot("blocks");
    }
}
