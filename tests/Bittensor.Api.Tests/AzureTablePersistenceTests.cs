using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Api.Tests;

/// <summary>Grain state and membership in Azure Table storage (Azurite): state written by one silo is read back by the next.</summary>
public sealed class AzureTablePersistenceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task State_SurvivesASiloRestart()
    {
        var settings = Settings("persistence-test");
        var beacon = Runtime.HashChainBeacon.For(new Runtime.ChainRules()); // built once per process, before the silo runs
        string before;
        ushort netuid;
        await using (var first = new SiloFactory(settings))
        {
            await first.Ok(new Faucet { Signer = "alice", Amount = 500 * Tao.Rao });
            netuid = (await first.Ok(new RegisterNetwork { Signer = "alice", Hotkey = "alice-hot" })).Netuid!.Value;
            await first.Ok(new Transfer { Signer = "alice", Dest = "bob", Amount = 7 * Tao.Rao });
            await first.Chain.ProduceBlocksAsync(12);
            // A weight commit is stored in its own part of the subnet (commit-reveal).
            await first.Ok(new SetHyperparameter { Signer = "alice", Netuid = netuid, Name = "weights_rate_limit", Value = "0" });
            await first.Ok(new SetHyperparameter { Signer = "alice", Netuid = netuid, Name = "commit_reveal_weights_enabled", Value = "true" });
            await first.Ok(new CommitWeights { Signer = "alice-hot", Netuid = netuid, CommitHash = Bittensor.Keys.WeightCommitHash.Compute("alice-hot", netuid, [0], [1], [7], 0) });
            // A timelocked commit is queued on the subnet's economy in the chain's state (the state hash covers it).
            ulong round = 40;
            await first.Ok(new CommitTimelockedWeights
            {
                Signer = "alice-hot", Netuid = netuid, RevealRound = round, CommitRevealVersion = Runtime.TimelockReveal.CommitRevealVersion,
                Commit = Bittensor.Keys.TimelockCipher.Encrypt(beacon.PublicKey(round), round, Bittensor.Keys.TimelockPayload.For("alice-hot", [0], [1], 0).Encode()),
            });
            var http = first.CreateClient();
            before = await Describe(http, netuid);
            Assert.Contains("\"balance\":7000000000", before);
            Assert.Contains("\"commitEpoch\"", before);
            Assert.Contains("\"kind\":\"WeightsCommitted\"", before);
        }

        await using var second = new SiloFactory(settings);
        string after = await Describe(second.CreateClient(), netuid);
        Assert.Equal(before, after);
        var audit = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.ToString());
        // The restored chain keeps producing blocks from where it stopped.
        ulong block = await second.Chain.ProduceBlocksAsync(1);
        Assert.Equal(13UL, block);
        // ...and the block log goes on from its last block: the new block's parent is the restored head, now sealed.
        var head = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/blocks/13");
        var parent = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/blocks/12");
        Assert.Equal(parent.GetProperty("hash").GetString(), head.GetProperty("parentHash").GetString());
        Assert.NotNull(parent.GetProperty("hash").GetString());
    }

    /// <summary>
    /// <c>GET /api/transactions/{hash}</c> answers applied, rejected and expired transactions, each with its block, after the
    /// silo restarts: the index is stored through the grain storage, not kept in memory.
    /// </summary>
    [Fact]
    public async Task TransactionIndex_SurvivesASiloRestart()
    {
        var settings = Settings("txindex-restart-test");
        var alice = KeyPair.Generate();
        var bob = KeyPair.Generate().Address;
        var before = new Dictionary<string, string>();
        await using (var first = new SiloFactory(settings))
        {
            var http = first.CreateClient();
            await first.Chain.ProduceBlocksAsync(3);
            var target = await Targets.OfAsync(http);
            ulong block = (await http.GetFromJsonAsync<JsonElement>("/api/chain")).GetProperty("block").GetUInt64();
            SignedTransaction Sign(ulong nonce, string call, JsonObject args, ulong? validUntil = null) =>
                SignedTransaction.Create(alice, validUntil is { } v ? target with { ValidUntil = v } : target, nonce, call, args);
            var txs = new (SignedTransaction Tx, string State)[]
            {
                (Sign(0, "faucet", new JsonObject { ["amount"] = 10 * Tao.Rao }), "applied"),
                (Sign(1, "transfer", new JsonObject { ["dest"] = bob, ["amount"] = Tao.Rao }), "applied"),
                (Sign(2, "transfer", new JsonObject { ["dest"] = bob, ["amount"] = 1_000 * Tao.Rao }), "rejected"),
                (Sign(2, "transfer", new JsonObject { ["dest"] = bob, ["amount"] = 1 }, validUntil: block - 1), "expired"),
            };
            foreach (var (tx, _) in txs) await http.PostAsync("/api/transactions", new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"));
            foreach (var (tx, state) in txs)
            {
                string body = "";
                await Eventually.UntilAsync(async () =>
                {
                    var response = await http.GetAsync($"/api/transactions/{tx.Hash}");
                    body = await response.Content.ReadAsStringAsync();
                    return response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() == state;
                }, $"{tx.Hash} {state}");
                before[tx.Hash] = body;
            }
        }

        await using var second = new SiloFactory(settings);
        var again = second.CreateClient();
        foreach (var (hash, body) in before)
        {
            var response = await again.GetAsync($"/api/transactions/{hash}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
        Assert.Contains(before.Values, b => b.Contains("\"status\":\"expired\"", StringComparison.Ordinal) && b.Contains("TransactionExpired", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync("/api/transactions/0x" + new string('b', 64))).StatusCode);
    }

    /// <summary>A silo on Azurite's tables, in a cluster and a service of its own.</summary>
    private Dictionary<string, string?> Settings(string clusterId) => new()
    {
        ["Storage:Kind"] = "AzureTable",
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Orleans:ClusterId"] = clusterId,
        // Grain state is keyed by service id: each test gets its own chain (sharing one, the test that ran second found the
        // other's blocks).
        ["Orleans:ServiceId"] = clusterId,
    };

    private static async Task<string> Describe(HttpClient http, ushort netuid)
    {
        var chain = await http.GetFromJsonAsync<JsonElement>("/api/chain");
        var parts = new[]
        {
            chain.GetProperty("block").GetRawText(),
            chain.GetProperty("totalIssuance").GetRawText(),
            await http.GetStringAsync("/api/accounts/alice"),
            await http.GetStringAsync("/api/accounts/bob"),
            await http.GetStringAsync("/api/hotkeys/alice-hot"),
            await Get(http, $"/api/subnets/{netuid}"),
            await Get(http, $"/api/subnets/{netuid}/epochs?limit=5"),
            await Get(http, $"/api/subnets/{netuid}/metagraph"),
            await Get(http, $"/api/subnets/{netuid}/commits/alice-hot"),
            await Get(http, "/api/chain/state-hash"),
            // The block log: headers with their hashes, extrinsics, events (stored in pages beside the chain's state).
            await Get(http, "/api/blocks?from=0&limit=100"),
            await Get(http, "/api/events?limit=1000"),
        };
        return string.Join("\n", parts);
    }

    private static async Task<string> Get(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
