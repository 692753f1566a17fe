using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;
using Bittensor.Keys;
using Bittensor.Runtime.Extrinsics;
using Bittensor.Runtime.Simulation;

namespace Bittensor.Api.Tests;

/// <summary>
/// The live network and the simulator agree: a scenario run by <c>sim run</c>'s engine, and the same calls signed by the
/// agents' keys and submitted block by block to a silo's REST API (<c>POST /api/transactions</c>: signature, chain, nonce,
/// the journal, the chain, subnet and consensus grains, storage) end in the same state hash
/// (<c>GET /api/chain/state-hash</c>) and the same epoch records (<c>GET /api/subnets/{netuid}/epochs/{index}</c>).
/// </summary>
public sealed class LiveSimAgreementTests
{
    private static readonly string ScenarioText = TestScenarios.TwoSubnets("live-agreement", 400);

    [Fact]
    public async Task AScenario_DrivenThroughTheRestApi_AndSimulated_EndsInTheSameStateHash_AndTheSameEpochRecords()
    {
        using var doc = JsonDocument.Parse(ScenarioText);
        var scenario = Scenario.Read(doc.RootElement);
        var sim = await ScenarioRun.BuildAsync(scenario, Arithmetic.Exact, recordCases: true);
        await sim.RunAsync();
        Assert.True(sim.Chain.Conserved());

        var rules = sim.Chain.Rules;
        string Invariant(ulong v) => v.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?>
        {
            ["Chain:Sudo"] = rules.Sudo,
            ["Chain:NewSubnetTempo"] = Invariant(rules.NewSubnetTempo),
            ["Chain:MinLockCost"] = Invariant(rules.MinLockCost),
            ["Chain:MaxSubnets"] = rules.MaxSubnets.ToString(CultureInfo.InvariantCulture),
            ["Chain:Faucet"] = "false",
            ["Chain:OwnerRootParameters"] = "false",
            ["Chain:AdminFreezeWindow"] = Invariant(rules.AdminFreezeWindow),
            ["Chain:OwnerHyperparameterRateLimitTempos"] = Invariant(rules.OwnerHyperparameterRateLimitTempos),
            ["Chain:NetworkRateLimit"] = Invariant(rules.NetworkRateLimit),
            ["Chain:ServingRateLimit"] = Invariant(rules.ServingRateLimit), // each new subnet's serving_rate_limit: part of the hashed hyperparameters
            ["Chain:WeightFee"] = Invariant(rules.WeightFee),
            ["Chain:GenesisIssuance"] = Invariant(sim.GenesisIssuance),
            ["Chain:StartSubnetsAtCreation"] = rules.StartSubnetsAtCreation ? "true" : "false", // the simulation calls start_call
            ["Chain:PendingChildKeyCooldown"] = Invariant(rules.PendingChildKeyCooldown),
        };
        foreach (var (address, balance) in sim.GenesisBalances) settings[$"Chain:GenesisBalances:{address}"] = Invariant(balance);
        await using var live = new SiloFactory(settings);
        using var http = live.CreateClient();
        var chain = await http.GetFromJsonAsync<JsonElement>("/api/chain");
        string chainId = chain.GetProperty("chainId").GetString()!, genesis = chain.GetProperty("genesisHash").GetString()!;

        // Every recorded call, signed by its agent's key with the signer's next nonce and submitted in its block; the
        // test produces the blocks (the test chain has no clock of its own).
        var nonces = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var keys = new Dictionary<string, KeyPair>(StringComparer.Ordinal);
        int next = 0;
        var ops = sim.Operations;
        for (ulong block = 0; block <= scenario.Blocks; block++)
        {
            if (block > 0) Assert.Equal(block, await live.Chain.ProduceBlocksAsync(1));
            for (; next < ops.Count && ops[next].Block == block; next++)
            {
                var (_, op, ok) = ops[next];
                if (!keys.TryGetValue(op.Signer, out var key)) keys[op.Signer] = key = sim.Keys.Pair(op.Signer);
                var (call, args) = Calls.ToPayload(op);
                ulong nonce = nonces.GetValueOrDefault(op.Signer);
                var tx = SignedTransaction.Create(key, new ChainTarget(chainId, genesis, block + 64), nonce, call, args);
                using var response = await http.PostAsync("/api/transactions", new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"));
                string text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode == ok, $"block {block}: {call} by {op.Signer}: simulated {(ok ? "passed" : "refused")}, live {(int)response.StatusCode} {text}");
                if (ok) nonces[op.Signer] = nonce + 1;
                else Assert.InRange((int)response.StatusCode, 400, 499);
            }
        }
        Assert.Equal(ops.Count, next);
        foreach (var (address, nonce) in nonces)
            Assert.Equal(nonce, (await http.GetFromJsonAsync<JsonElement>($"/api/accounts/{address}")).GetProperty("nextNonce").GetUInt64());

        using var hash = JsonDocument.Parse(await http.GetStringAsync("/api/chain/state-hash"));
        Assert.Equal(scenario.Blocks, hash.RootElement.GetProperty("block").GetUInt64());
        Assert.Equal(sim.Chain.StateHash(), hash.RootElement.GetProperty("stateHash").GetString());
        Assert.True(ops.Count > 100, $"{ops.Count} calls submitted");
        Assert.True(keys.Count > 20, $"{keys.Count} signers");
        Assert.Contains(ops, o => o.Operation is CommitWeights);
        Assert.Contains(ops, o => o.Operation is RevealWeights);
        Assert.Contains(ops, o => o.Operation is MoveStake);

        Assert.True(sim.Cases.Count >= 18, $"{sim.Cases.Count} epochs");
        foreach (var c in sim.Cases)
        {
            string[] parts = c.Name.Split('-'); // subnet-N-epoch-I
            using var record = JsonDocument.Parse(await http.GetStringAsync($"/api/subnets/{parts[1]}/epochs/{parts[3]}"));
            var r = record.RootElement;
            Assert.Equal(c.Block, r.GetProperty("block").GetUInt64());
            Assert.Equal(Json(w => EpochCaseJson.WriteCase(w, c.Name, c.Parameters, c.Input)), r.GetProperty("inputs").GetRawText());
            Assert.Equal(Json(w => EpochResultJson.WriteStep(w, c.Block, c.Result)), r.GetProperty("outputs").GetRawText());
        }

        // The hash sees a block's emission: one more block on either side and they differ.
        await live.Chain.ProduceBlocksAsync(1);
        Assert.NotEqual(sim.Chain.StateHash(), await live.Chain.StateHashAsync());
    }

    [Fact]
    public async Task SimulatedAgents_HaveRealKeys_DerivedFromTheSeedAndTheirPlace()
    {
        using var doc = JsonDocument.Parse(ScenarioText);
        var scenario = Scenario.Read(doc.RootElement);
        var a = await ScenarioRun.BuildAsync(scenario, Arithmetic.Exact);
        var b = await ScenarioRun.BuildAsync(scenario, Arithmetic.Exact);
        var c = await ScenarioRun.BuildAsync(scenario, Arithmetic.Exact, seed: 4);
        string[] Addresses(ScenarioRun run) => [.. run.Results().SelectMany(r => new[] { r.Coldkey, r.Hotkey }).Where(k => k.Length > 0), run.Chain.Rules.Sudo!];
        var keys = Addresses(a);
        Assert.Equal(keys, Addresses(b));
        Assert.Empty(keys.Intersect(Addresses(c)));
        Assert.All(keys, k => Assert.True(Ss58.IsValid(k), k));
        // The 13 miners share their group's coldkey (3 groups); every other key is its agent's own.
        Assert.Equal(keys.Length - (13 - 3), keys.Distinct().Count());
        foreach (string address in keys.Distinct())
        {
            using var pair = a.Keys.Pair(address);
            Assert.Equal(address, pair.Address);
        }
        Assert.Throws<KeyNotFoundException>(() => a.Keys.Pair(c.Chain.Rules.Sudo!));
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
