using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary><c>subnets whatif</c>: what-if epochs on the live subnet over the REST API, as a table or JSON; bad overrides name the field.</summary>
public sealed class CliWhatIfTests(CliNetwork network) : IClassFixture<CliNetwork>, IDisposable
{
    private readonly HttpMessageHandler _handler = network.Host.Server.CreateHandler();

    public void Dispose() => _handler.Dispose();

    private Task<CliRun> RunAsync(params string[] args) => Cli.RunAsync([.. args, "--network", "http://localhost"], _handler);

    /// <summary>One subnet per network for the whole class: a what-if or a snapshot changes nothing, and the lock cost doubles with each new subnet.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CliNetwork, Task<ushort>> Subnets = new();

    private Task<ushort> SubnetAsync() => Subnets.GetValue(network, _ => CreateSubnetAsync());

    private async Task<ushort> CreateSubnetAsync()
    {
        var host = network.Host;
        string id = Guid.NewGuid().ToString("N")[..8];
        await host.Ok(new Faucet { Signer = $"owner-{id}", Amount = 1_000 * Tao.Rao });
        ushort netuid = (await host.Ok(new RegisterNetwork { Signer = $"owner-{id}", Hotkey = $"owner-hot-{id}" })).Netuid!.Value;
        await host.Ok(new SetHyperparameter { Signer = $"owner-{id}", Netuid = netuid, Name = "weights_rate_limit", Value = "0" });
        foreach (var who in new[] { "val", "miner-1", "miner-2" })
        {
            await host.Ok(new Faucet { Signer = $"{who}-cold-{id}", Amount = 200 * Tao.Rao });
            await host.Ok(new BurnedRegister { Signer = $"{who}-cold-{id}", Netuid = netuid, Hotkey = $"{who}-hot-{id}" });
        }
        await host.Ok(new AddStake { Signer = $"val-cold-{id}", Hotkey = $"val-hot-{id}", Netuid = netuid, Amount = 100 * Tao.Rao });
        await host.Chain.ProduceBlocksAsync(12);
        await host.Ok(new SetWeights { Signer = $"val-hot-{id}", Netuid = netuid, Uids = [2, 3], Weights = [65535, 20000] });
        await host.Chain.ProduceBlocksAsync(12);
        return netuid;
    }

    [Fact]
    public async Task WhatIf_PrintsEveryUidBeforeAndAfter_AsATableOrJson()
    {
        ushort netuid = await SubnetAsync();
        string n = netuid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var table = await RunAsync("subnets", "whatif", "--netuid", n, "--set", "kappa=40000,bonds_moving_average=500000", "--epochs", "3");
        Assert.True(table.Code == 0, table.Err);
        Assert.Contains($"subnet {n} from block", table.Out);
        Assert.Contains("3 epochs", table.Out);
        Assert.Contains("miner-1-hot-", table.Out);

        var json = await RunAsync("subnets", "whatif", "--netuid", n, "--set", "kappa=40000", "--epochs", "2", "--json");
        Assert.True(json.Code == 0, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("uids").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("uids")[2].GetProperty("before").GetProperty("incentive").GetInt32() > 0);
    }

    [Theory]
    [InlineData("--set", "kapa=1", "hyperparameters.kapa")]
    [InlineData("--set", "kappa=70000", "hyperparameters.kappa")]
    [InlineData("--set", "kappa", "'--set' takes name=value")]
    [InlineData("--weights", "1=3", "'--weights' cells are dest:value")]
    [InlineData("--weights", "1=3:70000", "'--weights' cells are dest:value")]
    [InlineData("--weights", "x=3:1", "'--weights' takes uid=dest:value")]
    [InlineData("--weights", "1=3:1;1=2:1", "gives uid 1 twice")]
    [InlineData("--weights", "1=9:100", "weights.1")]
    public async Task WhatIf_BadOverrideOrWeightEdit_FailsNamingIt(string option, string value, string message)
    {
        ushort netuid = await SubnetAsync();
        var run = await RunAsync("subnets", "whatif", "--netuid", netuid.ToString(System.Globalization.CultureInfo.InvariantCulture), option, value);
        Assert.NotEqual(0, run.Code);
        Assert.Contains(message, run.Err);
    }

    [Fact]
    public async Task WhatIf_WeightEdits_ReplaceTheValidatorsRow_AndMoveTheIncentive()
    {
        ushort netuid = await SubnetAsync(); // uid 1 validates, weighing miners 2 and 3 as 65535 : 20000
        string n = netuid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = await RunAsync("subnets", "whatif", "--netuid", n, "--weights", "1=3:65535", "--epochs", "1", "--json");
        Assert.True(json.Code == 0, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var uids = doc.RootElement.GetProperty("uids");
        int Incentive(int uid, string run) => uids[uid].GetProperty(run).GetProperty("incentive").GetInt32();
        Assert.True(Incentive(2, "before") > Incentive(3, "before"), "before: miner 2 holds the larger weight");
        Assert.Equal(0, Incentive(2, "after"));
        Assert.Equal(65535, Incentive(3, "after"));

        var table = await RunAsync("subnets", "whatif", "--netuid", n, "--weights", "1=2:1000,3:65535", "--set", "kappa=32767");
        Assert.True(table.Code == 0, table.Err);
        Assert.Contains("with the edits", table.Out);
    }

    [Fact]
    public async Task Snapshot_WritesAScenario_ThatSimRunAccepts()
    {
        ushort netuid = await SubnetAsync();
        string n = netuid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string folder = Directory.CreateTempSubdirectory("snapshot-").FullName;
        try
        {
            string file = Path.Combine(folder, "subnet.scenario.json");
            var saved = await RunAsync("subnets", "snapshot", "--netuid", n, "--blocks", "30", "--output", file);
            Assert.True(saved.Code == 0, saved.Err);
            Assert.Contains($"bittensor sim run --scenario {file}", saved.Out);
            using (var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
            {
                Assert.Equal("bittensor-scenario/1", doc.RootElement.GetProperty("schema").GetString());
                Assert.Equal(30, doc.RootElement.GetProperty("blocks").GetInt32());
            }
            var stdout = await RunAsync("subnets", "snapshot", "--netuid", n);
            Assert.True(stdout.Code == 0, stdout.Err);
            Assert.Equal("bittensor-scenario/1", JsonDocument.Parse(stdout.Out).RootElement.GetProperty("schema").GetString());

            var run = await Cli.RunAsync(["sim", "run", "--scenario", file, "--output", Path.Combine(folder, "out")], _handler);
            Assert.True(run.Code == 0, run.Err);

            var bad = await RunAsync("subnets", "snapshot", "--netuid", n, "--blocks", "0");
            Assert.NotEqual(0, bad.Code);
            Assert.Contains("blocks", bad.Err);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
