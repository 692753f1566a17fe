using System.Text.Json;

namespace Bittensor.Cli.Tests;

/// <summary><c>subnets whatif</c>: what-if epochs on the live subnet over the REST API, as a table or JSON; bad overrides name the field.</summary>
public sealed class CliWhatIfTests(CliNetwork network) : IClassFixture<CliNetwork>, IDisposable
{
    private readonly HttpMessageHandler _handler = network.Host.Server.CreateHandler();

    public void Dispose() => _handler.Dispose();

    private Task<CliRun> RunAsync(params string[] args) => Cli.RunAsync([.. args, "--network", "http://localhost"], _handler);

    private async Task<ushort> SubnetAsync()
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
    [InlineData("kapa=1", "hyperparameters.kapa")]
    [InlineData("kappa=70000", "hyperparameters.kappa")]
    [InlineData("kappa", "'--set' takes name=value")]
    public async Task WhatIf_BadOverride_FailsNamingIt(string set, string message)
    {
        ushort netuid = await SubnetAsync();
        var run = await RunAsync("subnets", "whatif", "--netuid", netuid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--set", set);
        Assert.NotEqual(0, run.Code);
        Assert.Contains(message, run.Err);
    }
}
