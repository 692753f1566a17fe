using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text;
using Azure.Data.Tables;
using Bittensor.Api.Tests;
using Bittensor.Grains.Storage;
using Bittensor.Keys;
using Bittensor.Testing;

namespace Bittensor.Cloud.Tests;

/// <summary>
/// Rolling upgrades: what a release stored must read back in every later build. Each folder of Fixtures/State holds the
/// grain-state entities one release left in Azure Tables after a scripted network (<c>stored.json</c>: Orleans serializer
/// bytes of every persisted type, as stored) and what its REST API answered then (<c>reads.json</c>). This build loads each
/// into a fresh Azurite, starts a silo on it, and must answer the same (new fields may be added), pass the audit, and go on.
/// </summary>
/// <remarks>
/// Record a release's fixture with <c>STATE_FIXTURE_RELEASE=&lt;name&gt; dotnet test tests/Bittensor.Cloud.Tests --filter
/// RecordFixture</c>: it writes Fixtures/State/&lt;name&gt;/ in the source tree. Fixtures are never edited or re-recorded.
/// </remarks>
public sealed class StateFixtureTests
{
    private static readonly string[] Accounts = ["owner", "owner-hot", "validator", "validator-hot", "miner-0", "miner-0-hot", "miner-1", "miner-1-hot", "sink"];

    /// <summary>The chain settings of the recording (the silo that reads must use the same chain).</summary>
    private static Dictionary<string, string?> ChainSettings() => new()
    {
        ["Chain:Id"] = "state-fixture",
        ["Chain:NewSubnetTempo"] = "10",
        ["Chain:Faucet"] = "true",
        ["Chain:GenesisIssuance"] = (1_000_000 * Tao.Rao).ToString(CultureInfo.InvariantCulture),
        ["Chain:MinLockCost"] = (100 * Tao.Rao).ToString(CultureInfo.InvariantCulture),
        ["Orleans:ServiceId"] = "bittensor",
    };

    /// <summary>The releases with a fixture, oldest first (folder names sort by release).</summary>
    public static IReadOnlyList<string> ReleaseNames() =>
        [.. Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures", "State")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Releases() => [.. ReleaseNames()];

    [Theory]
    [MemberData(nameof(Releases))]
    public async Task StateOfARelease_ReadsBack_AndTheChainGoesOn(string release)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "State", release);
        var reads = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "reads.json")))!.AsObject();
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await StoredState.LoadAsync(new TableServiceClient(azurite.ConnectionString), JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "stored.json")))!.AsObject());
            var settings = new Dictionary<string, string?>(reads["settings"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value!.GetValue<string>())))
            {
                ["Storage:Kind"] = "AzureTable",
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Orleans:ClusterId"] = $"fixture-{release}",
                ["Orleans:Tls:AllowPlaintext"] = TestChain.ProductionCluster["Orleans:Tls:AllowPlaintext"],
                ["Orleans:ClusterSecret"] = TestChain.ProductionCluster["Orleans:ClusterSecret"],
            };
            await using var silo = new SiloFactory(settings);
            var http = silo.CreateClient();
            var differences = new List<string>();
            foreach (var (path, expected) in reads["reads"]!.AsObject())
            {
                var actual = await http.GetFromJsonAsync<JsonElement>(path);
                StoredState.Contains(actual, JsonSerializer.Deserialize<JsonElement>(expected!.ToJsonString()), path, differences);
            }
            Assert.True(differences.Count == 0, $"release {release} reads back differently:\n" + string.Join('\n', differences.Take(20)));

            ulong block = (await http.GetFromJsonAsync<JsonElement>("/api/chain")).GetProperty("block").GetUInt64();
            Assert.Equal(block + 12, await silo.Chain.ProduceBlocksAsync(12));
            await silo.Ok(new Transfer { Signer = "owner", Dest = "sink", Amount = Tao.Rao });
            var audit = await http.GetFromJsonAsync<JsonElement>("/api/audit");
            Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>Every grain class that persists state (a <see cref="StoredGrain"/>), by its Orleans grain type name (<c>AccountGrain</c>: <c>account</c>).</summary>
    public static IEnumerable<string> StoredGrainTypes() =>
        typeof(StoredGrain).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false } && t.IsSubclassOf(typeof(StoredGrain)))
            .Select(t => t.Name[..^"Grain".Length].ToLowerInvariant());

    [Fact]
    public void TheLatestRelease_StoredEveryKindOfPersistedGrain()
    {
        string latest = ReleaseNames()[^1];
        var stored = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "State", latest, "stored.json")))!
            .AsObject().SelectMany(t => t.Value!.AsArray()).Select(e => e!["partitionKey"]!.GetValue<string>()).ToList();
        foreach (var grain in StoredGrainTypes())
            Assert.True(stored.Any(k => k.StartsWith($"bittensor_{grain}_", StringComparison.Ordinal)),
                $"release {latest} stored no '{grain}' state: extend the scripted network and record a new release's fixture");
    }

    /// <summary>Records this build's fixture when <c>STATE_FIXTURE_RELEASE</c> names the release; otherwise does nothing.</summary>
    [Fact]
    public async Task RecordFixture()
    {
        string? release = Environment.GetEnvironmentVariable("STATE_FIXTURE_RELEASE");
        Assert.SkipWhen(string.IsNullOrEmpty(release), "records a fixture only when STATE_FIXTURE_RELEASE names the release");
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var settings = ChainSettings();
            var reads = new JsonObject();
            await using (var silo = new SiloFactory(new Dictionary<string, string?>(settings)
            {
                ["Storage:Kind"] = "AzureTable",
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Orleans:ClusterId"] = "fixture-recording",
                ["Orleans:Tls:AllowPlaintext"] = TestChain.ProductionCluster["Orleans:Tls:AllowPlaintext"],
                ["Orleans:ClusterSecret"] = TestChain.ProductionCluster["Orleans:ClusterSecret"],
            }))
            {
                ushort netuid = await ScriptedNetworkAsync(silo);
                var http = silo.CreateClient();
                var paths = new List<string> { "/api/chain", "/api/subnets", $"/api/subnets/{netuid}", $"/api/subnets/{netuid}/metagraph", $"/api/subnets/{netuid}/epochs?limit=100", "/api/audit" };
                var epochs = await http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/epochs?limit=100");
                paths.AddRange(epochs.EnumerateArray().Select(e => $"/api/subnets/{netuid}/epochs/{e.GetProperty("index").GetUInt64()}"));
                paths.AddRange(Accounts.Select(a => $"/api/accounts/{a}"));
                paths.AddRange(Accounts.Where(a => a.EndsWith("-hot", StringComparison.Ordinal)).Select(a => $"/api/hotkeys/{a}"));
                foreach (var path in paths) reads[path] = JsonNode.Parse(await http.GetStringAsync(path));
            }
            var dump = await StoredState.DumpAsync(new TableServiceClient(azurite.ConnectionString));
            string folder = Path.Combine(Repository.Root, "tests", "Bittensor.Cloud.Tests", "Fixtures", "State", release!);
            Directory.CreateDirectory(folder);
            var indented = new JsonSerializerOptions { WriteIndented = true };
            await File.WriteAllTextAsync(Path.Combine(folder, "stored.json"), dump.ToJsonString(indented));
            await File.WriteAllTextAsync(Path.Combine(folder, "reads.json"), new JsonObject
            {
                ["settings"] = new JsonObject(settings.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["reads"] = reads,
            }.ToJsonString(indented));
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// A subnet with an owner, a staked validator with a take (and TAO on root), two miners with axons, weights, a transfer,
    /// epochs, an unstake and a signed transaction over REST (so the transaction index is stored).
    /// </summary>
    private static async Task<ushort> ScriptedNetworkAsync(SiloFactory silo)
    {
        await silo.Ok(new Faucet { Signer = "owner", Amount = 1_000 * Tao.Rao });
        ushort netuid = (await silo.Ok(new RegisterNetwork { Signer = "owner", Hotkey = "owner-hot" })).Netuid!.Value;
        await silo.Ok(new SetHyperparameter { Signer = "owner", Netuid = netuid, Name = "weights_rate_limit", Value = "0" });
        await silo.Ok(new Faucet { Signer = "validator", Amount = 300 * Tao.Rao });
        await silo.Ok(new BurnedRegister { Signer = "validator", Netuid = netuid, Hotkey = "validator-hot" });
        await silo.Ok(new AddStake { Signer = "validator", Hotkey = "validator-hot", Netuid = netuid, Amount = 100 * Tao.Rao });
        await silo.Ok(new SetTake { Signer = "validator", Hotkey = "validator-hot", Take = 5_000 });
        // The root network: a member with TAO staked on root and a chosen claim type (release 2026-12-07.3 on).
        await silo.Ok(new RootRegister { Signer = "validator", Hotkey = "validator-hot" });
        await silo.Ok(new AddStake { Signer = "validator", Hotkey = "validator-hot", Netuid = 0, Amount = 50 * Tao.Rao });
        await silo.Ok(new SetRootClaimType { Signer = "validator", Type = "Keep" });
        var uids = new List<ushort>();
        for (int i = 0; i < 2; i++)
        {
            await silo.Ok(new Faucet { Signer = $"miner-{i}", Amount = 20 * Tao.Rao });
            uids.Add((await silo.Ok(new BurnedRegister { Signer = $"miner-{i}", Netuid = netuid, Hotkey = $"miner-{i}-hot" })).Uid!.Value);
            await silo.Ok(new ServeAxon { Signer = $"miner-{i}-hot", Netuid = netuid, Ip = "10.0.0.1", Port = (ushort)(8091 + i), Name = $"miner-honest-{i}" });
        }
        await silo.Ok(new Transfer { Signer = "miner-0", Dest = "sink", Amount = 3 * Tao.Rao });
        await silo.Chain.ProduceBlocksAsync(12);
        await silo.Ok(new SetWeights { Signer = "validator-hot", Netuid = netuid, Uids = [.. uids], Weights = [40_000, 20_000] });
        await silo.Chain.ProduceBlocksAsync(25);
        await silo.Ok(new RemoveStake { Signer = "validator", Hotkey = "validator-hot", Netuid = netuid, Amount = Tao.Rao });
        var http = silo.CreateClient();
        var signed = SignedTransaction.Create(KeyPair.FromSeed(new byte[32]), await Targets.OfAsync(http), 0, "faucet", new JsonObject { ["amount"] = Tao.Rao });
        var response = await http.PostAsync("/api/transactions", new StringContent(signed.ToJson(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await Eventually.UntilAsync(async () => (await http.GetAsync($"/api/transactions/{signed.Hash}")).IsSuccessStatusCode, "the signed faucet indexed");
        await silo.Chain.ProduceBlocksAsync(3);
        return netuid;
    }
}
