using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Silo;
using Bittensor.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Bittensor.Explorer.Tests;

/// <summary>
/// A real silo on a real Kestrel port (100 ms blocks, tempo 10, faucet), a subnet built by signed transactions — an owner,
/// two validators with different stakes and weights, two miners with axons — run until epochs were recorded, and the
/// system's Chromium driven by Playwright.
/// </summary>
public sealed class ExplorerNetwork : IAsyncLifetime
{
    /// <summary>Debian's chromium (override with <c>CHROMIUM_PATH</c>); Playwright's own browser download is never used.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public const string ChainId = "explorer-test";
    public const double BlockSeconds = 0.1;

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public KeyPair Owner { get; } = KeyPair.Generate();
    public KeyPair OwnerHot { get; } = KeyPair.Generate();
    public (KeyPair Cold, KeyPair Hot)[] Validators { get; } = [(KeyPair.Generate(), KeyPair.Generate()), (KeyPair.Generate(), KeyPair.Generate())];
    public (KeyPair Cold, KeyPair Hot)[] Miners { get; } = [(KeyPair.Generate(), KeyPair.Generate()), (KeyPair.Generate(), KeyPair.Generate())];

    public string BaseUrl { get; } = $"http://127.0.0.1:{TestChain.FreePort()}";
    public HttpClient Http { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public ushort Netuid { get; private set; }

    /// <summary>Where the screenshots go: <c>EXPLORER_SCREENSHOTS</c>, else <c>screenshots/</c> in the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("EXPLORER_SCREENSHOTS") is { Length: > 0 } s ? s : Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: the explorer's browser tests need Debian's chromium " +
                "(apt-get update && apt-get install -y chromium; .ci/run installs it) or CHROMIUM_PATH naming another Chromium.");
        _app = SiloApp.Build(["--urls", BaseUrl, "--environment", "Production", .. TestChain.ToArgs(TestChain.HostSettings(ChainId, new Dictionary<string, string?>
        {
            ["Chain:BlockTime"] = TestChain.Invariant(TimeSpan.FromSeconds(BlockSeconds)),
            ["Chain:AutoStart"] = "true",
            ["Chain:TrustClients"] = "false", // the network is built by signed transactions over REST
            ["Logging:LogLevel:Default"] = "Warning",
        }))]);
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var browserStarting = StartBrowserAsync();
        await BuildSubnetAsync();
        await browserStarting;
    }

    private async Task StartBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>Owner → subnet; validators stake 200 and 60 τ and, once they hold permits, weigh the miners differently.</summary>
    private async Task BuildSubnetAsync()
    {
        await Send(Owner, "faucet", new JsonObject { ["amount"] = 1_000 * Tao.Rao });
        var created = await Send(Owner, "register_network", new JsonObject { ["hotkey"] = OwnerHot.Address });
        Netuid = created.GetProperty("result").GetProperty("netuid").GetUInt16();
        await Send(Owner, "set_hyperparameter", new JsonObject { ["netuid"] = Netuid, ["name"] = "task", ["value"] = "matmul" });
        await Send(Owner, "set_hyperparameter", new JsonObject { ["netuid"] = Netuid, ["name"] = "weights_rate_limit", ["value"] = 3 });
        foreach (var (cold, hot) in Validators.Concat(Miners))
        {
            await Send(cold, "faucet", new JsonObject { ["amount"] = 500 * Tao.Rao });
            await Send(cold, "burned_register", new JsonObject { ["netuid"] = Netuid, ["hotkey"] = hot.Address });
        }
        ulong[] stakes = [200 * Tao.Rao, 60 * Tao.Rao];
        for (int v = 0; v < Validators.Length; v++)
            await Send(Validators[v].Cold, "add_stake", new JsonObject { ["hotkey"] = Validators[v].Hot.Address, ["netuid"] = Netuid, ["amount"] = stakes[v] });
        for (int m = 0; m < Miners.Length; m++)
            await Send(Miners[m].Hot, "serve_axon", new JsonObject { ["netuid"] = Netuid, ["ip"] = "127.0.0.1", ["port"] = 8091 + m, ["protocol"] = 4, ["version"] = 1, ["name"] = $"miner-{m}" });
        // Validator permits come with the first epoch whose inputs include the stakes (an earlier one may land first).
        var metagraph = await WaitForPermitsAsync(Validators.Select(v => v.Hot.Address).ToArray());
        int UidOf(KeyPair hot) => metagraph.GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == hot.Address).GetProperty("uid").GetInt32();
        int[] miners = Miners.Select(m => UidOf(m.Hot)).ToArray();
        await Send(Validators[0].Hot, "set_weights", Weights(miners, [65535, 20000]));
        var weighted = await Send(Validators[1].Hot, "set_weights", Weights(miners, [10000, 65535]));
        // Epochs that started after both weights were set (their inputs include them): the viewer's latest epoch is one.
        ulong setAt = weighted.GetProperty("block").GetUInt64();
        // The epoch the viewer test opens: one that pays the miners. Later epochs may not: the owner's cut accrues as stake
        // on the owner's hotkey, which sets no weights, and once it holds more than half the validators' stake the
        // consensus of the miners' weights is 0 (kappa = 0.5) — the chain's rule, so the test keeps the paying one.
        PayingEpoch = await Eventually.ValueAsync<ulong>(async () =>
        {
            var latest = await Http.GetFromJsonAsync<JsonElement>($"/api/subnets/{Netuid}/epochs?limit=1");
            if (latest.GetArrayLength() != 1 || latest[0].GetProperty("block").GetUInt64() <= setAt) return null;
            ulong index = latest[0].GetProperty("index").GetUInt64();
            var record = await Http.GetFromJsonAsync<JsonElement>($"/api/subnets/{Netuid}/epochs/{index}");
            return record.GetProperty("outputs").GetProperty("incentive").EnumerateArray().Any(v => v.GetInt32() > 0) ? index : null;
        }, $"subnet {Netuid} to record an epoch after block {setAt} that pays its miners");
        await WaitForEpochsAsync(4);
    }

    /// <summary>The index of a recorded epoch, after both validators set weights, whose incentive pays the miners.</summary>
    public ulong PayingEpoch { get; private set; }

    private JsonObject Weights(int[] uids, int[] weights) => new()
    {
        ["netuid"] = Netuid,
        ["uids"] = new JsonArray(uids.Select(u => (JsonNode)u).ToArray()),
        ["weights"] = new JsonArray(weights.Select(w => (JsonNode)w).ToArray()),
        ["version_key"] = 0,
    };

    /// <summary>Waits (polling the API) until the subnet has recorded at least <paramref name="count"/> epochs.</summary>
    public Task WaitForEpochsAsync(int count) => Eventually.UntilAsync(
        async () => (await Http.GetFromJsonAsync<JsonElement>($"/api/subnets/{Netuid}/epochs?limit={count}")).GetArrayLength() >= count,
        $"subnet {Netuid} to record {count} epochs");

    private Task<JsonElement> WaitForPermitsAsync(string[] hotkeys) => Eventually.ValueAsync<JsonElement>(async () =>
    {
        var metagraph = await Http.GetFromJsonAsync<JsonElement>($"/api/subnets/{Netuid}/metagraph");
        var permitted = metagraph.GetProperty("neurons").EnumerateArray()
            .Where(n => n.GetProperty("validator_permit").GetBoolean()).Select(n => n.GetProperty("hotkey").GetString()).ToHashSet();
        return hotkeys.All(permitted.Contains) ? metagraph : null;
    }, $"validator permits on subnet {Netuid}");

    public async Task<ulong> BlockAsync() => (await Http.GetFromJsonAsync<JsonElement>("/api/chain")).GetProperty("block").GetUInt64();

    /// <summary>Signs <paramref name="call"/> with the key's next nonce and posts it; fails the test on a rejection.</summary>
    public async Task<JsonElement> Send(KeyPair key, string call, JsonObject args)
    {
        var account = await Http.GetFromJsonAsync<JsonElement>($"/api/accounts/{key.Address}");
        var tx = SignedTransaction.Create(key, await Targets.OfAsync(Http), account.GetProperty("nextNonce").GetUInt64(), call, args);
        var response = await Http.PostAsync("/api/transactions", new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{call}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
