using System.Net;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Runtime.Simulation;

namespace Bittensor.Api.Tests;

/// <summary>
/// What-if epochs on live state (<c>POST /api/subnets/{netuid}/whatif</c>) and the snapshot as a scenario
/// (<c>GET /api/subnets/{netuid}/snapshot</c>), over real HTTP with the silo inside.
/// </summary>
public sealed class WhatIfTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();
    private HttpClient _http = null!;
    private ushort _netuid;

    public async ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        await _factory.Ok(new Faucet { Signer = "owner", Amount = 1_000 * Tao.Rao });
        _netuid = (await _factory.Ok(new RegisterNetwork { Signer = "owner", Hotkey = "owner-hot" })).Netuid!.Value;
        await _factory.Ok(new SetHyperparameter { Signer = "owner", Netuid = _netuid, Name = "weights_rate_limit", Value = "0" });
        foreach (var who in new[] { "val-a", "val-b", "miner-1", "miner-2", "miner-3" })
        {
            await _factory.Ok(new Faucet { Signer = $"{who}-cold", Amount = 200 * Tao.Rao });
            await _factory.Ok(new BurnedRegister { Signer = $"{who}-cold", Netuid = _netuid, Hotkey = $"{who}-hot" });
        }
        await _factory.Ok(new AddStake { Signer = "val-a-cold", Hotkey = "val-a-hot", Netuid = _netuid, Amount = 100 * Tao.Rao });
        await _factory.Ok(new AddStake { Signer = "val-b-cold", Hotkey = "val-b-hot", Netuid = _netuid, Amount = 60 * Tao.Rao });
        await _factory.Chain.ProduceBlocksAsync(12);
        // UIDs: 0 owner, 1 val-a, 2 val-b, 3..5 miners.
        await _factory.Ok(new SetWeights { Signer = "val-a-hot", Netuid = _netuid, Uids = [3, 4, 5], Weights = [65535, 30000, 1000] });
        await _factory.Ok(new SetWeights { Signer = "val-b-hot", Netuid = _netuid, Uids = [3, 4, 5], Weights = [50000, 40000, 2000] });
        await _factory.Chain.ProduceBlocksAsync(23);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string body, ushort? netuid = null)
    {
        using var response = await _http.PostAsync($"/api/subnets/{netuid ?? _netuid}/whatif", new StringContent(body, Encoding.UTF8, "application/json"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private static (int Incentive, int Dividends, ulong Emission, ulong Stake) Outcome(JsonElement o) =>
        (o.GetProperty("incentive").GetInt32(), o.GetProperty("dividends").GetInt32(), o.GetProperty("emission").GetUInt64(), o.GetProperty("stake").GetUInt64());

    [Fact]
    public async Task WhatIf_WithoutOverrides_EqualsWhatTheChainThenDoes()
    {
        var (status, r) = await PostAsync("""{"epochs": 3}""");
        Assert.Equal(HttpStatusCode.OK, status);
        ulong block = (await _factory.Chain.GetInfoAsync()).Block;
        Assert.Equal(block, r.GetProperty("block").GetUInt64());
        ulong blocks = r.GetProperty("blocksBefore").GetUInt64();
        Assert.Equal(blocks, r.GetProperty("blocksAfter").GetUInt64());
        Assert.InRange(blocks, 21UL, 31UL); // three epochs of tempo 10
        var uids = r.GetProperty("uids").EnumerateArray().ToList();
        Assert.Equal(6, uids.Count);
        foreach (var u in uids) Assert.Equal(Outcome(u.GetProperty("before")), Outcome(u.GetProperty("after")));

        await _factory.Chain.ProduceBlocksAsync((int)blocks);
        using var metagraph = JsonDocument.Parse(await _http.GetStringAsync($"/api/subnets/{_netuid}/metagraph"));
        var neurons = metagraph.RootElement.GetProperty("neurons").EnumerateArray().ToList();
        Assert.Equal(uids.Count, neurons.Count);
        for (int uid = 0; uid < neurons.Count; uid++)
        {
            var n = neurons[uid];
            Assert.Equal(n.GetProperty("hotkey").GetString(), uids[uid].GetProperty("hotkey").GetString());
            Assert.Equal((n.GetProperty("incentive").GetInt32(), n.GetProperty("dividends").GetInt32(), n.GetProperty("emission").GetUInt64(), n.GetProperty("stake").GetUInt64()),
                Outcome(uids[uid].GetProperty("before")));
        }
        Assert.True(neurons[3].GetProperty("incentive").GetInt32() > 0, "the best miner earns incentive");
    }

    [Fact]
    public async Task WhatIf_WithEdits_ChangesTheOutcome_AndNothingOnTheChain()
    {
        string[] reads = ["/api/chain", $"/api/subnets/{_netuid}", $"/api/subnets/{_netuid}/metagraph", "/api/audit", "/api/hotkeys/val-a-hot"];
        var before = await Task.WhenAll(reads.Select(r => _http.GetStringAsync(r)));

        // Both validators now score miner 5 best: its incentive rises, miner 3's falls.
        var (status, r) = await PostAsync("""
            {"hyperparameters": {"kappa": 40000, "bonds_moving_average": 500000},
             "weights": {"1": [[5, 65535], [3, 1000]], "2": [[5, 65535], [4, 100]]}, "epochs": 2}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        var uids = r.GetProperty("uids").EnumerateArray().ToList();
        Assert.True(Outcome(uids[5].GetProperty("after")).Incentive > Outcome(uids[5].GetProperty("before")).Incentive);
        Assert.True(Outcome(uids[3].GetProperty("after")).Incentive < Outcome(uids[3].GetProperty("before")).Incentive);
        Assert.True(Outcome(uids[5].GetProperty("after")).Stake > Outcome(uids[5].GetProperty("before")).Stake);

        var after = await Task.WhenAll(reads.Select(r => _http.GetStringAsync(r)));
        for (int k = 0; k < reads.Length; k++) Assert.True(before[k] == after[k], $"{reads[k]} changed");
        var subnet = await _factory.Chain.GetSubnetInfoAsync(_netuid);
        Assert.Equal(32767, subnet!.Hyperparameters.Kappa);
        Assert.True((await _factory.Chain.AuditAsync()).Ok);
    }

    [Theory]
    [InlineData("""{"hyperparameters": {"kapa": 1}}""", 400, "InvalidHyperparameter", "hyperparameters.kapa")]
    [InlineData("""{"hyperparameters": {"kappa": 70000}}""", 400, "InvalidHyperparameter", "hyperparameters.kappa")]
    [InlineData("""{"hyperparameters": {"kappa": [1]}}""", 400, "InvalidWhatIf", "hyperparameters.kappa")]
    [InlineData("""{"weights": {"99": [[3, 1]]}}""", 400, "UidNotFound", "weights.99")]
    [InlineData("""{"weights": {"1": [[99, 1]]}}""", 400, "UidNotFound", "weights.1")]
    [InlineData("""{"weights": {"1": [[3, 1], [3, 2]]}}""", 400, "DuplicateUids", "weights.1")]
    [InlineData("""{"weights": {"1": [[3, 70000]]}}""", 400, "InvalidWhatIf", "weights.1")]
    [InlineData("""{"weights": {"one": []}}""", 400, "InvalidWhatIf", "weights.one")]
    [InlineData("""{"weights": [1, 2]}""", 400, "InvalidWhatIf", "weights")]
    [InlineData("""{"epochs": 0}""", 400, "InvalidWhatIf", "epochs")]
    [InlineData("""{"epochs": 33}""", 400, "InvalidWhatIf", "epochs")]
    [InlineData("""{"epoch": 3}""", 400, "InvalidWhatIf", "epoch")]
    [InlineData("""[1]""", 400, "InvalidWhatIf", "body")]
    [InlineData("""{"epochs": 1""", 400, "InvalidWhatIf", "body")]
    public async Task WhatIf_BadInput_Is4xxNamingTheField_AndChangesNothing(string body, int status, string code, string field)
    {
        string metagraph = await _http.GetStringAsync($"/api/subnets/{_netuid}/metagraph");
        var (got, problem) = await PostAsync(body);
        Assert.Equal(status, (int)got);
        Assert.Equal(code, problem.GetProperty("type").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(metagraph, await _http.GetStringAsync($"/api/subnets/{_netuid}/metagraph"));
    }

    [Fact]
    public async Task WhatIf_OnAMissingSubnet_Is404()
    {
        var (status, problem) = await PostAsync("""{"epochs": 1}""", 999);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("SubnetNotFound", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Snapshot_IsAScenarioThatSimRunAccepts()
    {
        await _factory.Ok(new SetHyperparameter { Signer = "owner", Netuid = _netuid, Name = "liquid_alpha", Value = "true" });
        using var response = await _http.GetAsync($"/api/subnets/{_netuid}/snapshot?blocks=60");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var scenario = Scenario.Read(doc.RootElement);
        Assert.Equal(60UL, scenario.Blocks);
        Assert.Equal(10UL, scenario.Tempo);
        var subnet = Assert.Single(scenario.Subnets);
        Assert.Contains(subnet.Hyperparameters, h => h.Key == "liquid_alpha" && h.Value == "true");
        Assert.Equal(["uid-1", "uid-2"], subnet.Validators.Select(v => v.Name));
        using var metagraph = JsonDocument.Parse(await _http.GetStringAsync($"/api/subnets/{_netuid}/metagraph"));
        Assert.Equal(metagraph.RootElement.GetProperty("neurons")[1].GetProperty("stake").GetUInt64(), subnet.Validators[0].Stake);
        Assert.Equal(["uid-3", "uid-4", "uid-5"], subnet.Miners.Select(m => m.Name));
        Assert.Equal(1.0, subnet.Miners[0].Quality);

        var run = await ScenarioRun.BuildAsync(scenario, Arithmetic.Exact);
        await run.RunAsync();
        Assert.True(run.Chain.Conserved());
        Assert.Contains(run.Results(), a => a.Agent.EndsWith("/uid-3-0", StringComparison.Ordinal) && a.AlphaEarned > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/api/subnets/{_netuid}/snapshot?blocks=0")).StatusCode);
    }
}
