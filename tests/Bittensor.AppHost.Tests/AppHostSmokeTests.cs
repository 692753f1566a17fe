using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Bittensor.AppHost.Tests;

/// <summary>The whole AppHost (Azurite, two silos, a miner and a validator process) comes up and does real work.</summary>
public sealed class AppHostSmokeTests
{
    [Fact]
    public async Task TheNetwork_ComesUp_RegistersAMiner_AndRunsAnEpochWithEmission()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Bittensor_AppHost>(
            ["--Demo:Tasks=matmul", "--Demo:MinerProfiles=honest", "--Demo:ValidatorProfiles=honest"]);
        await using var app = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await app.StartAsync(cts.Token);
        await app.ResourceNotifications.WaitForResourceAsync("silo", KnownResourceStates.Running, cts.Token);
        var http = app.CreateHttpClient("silo");

        JsonElement? epoch = null;
        JsonElement metagraph = default;
        while (epoch is null)
        {
            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
            try
            {
                var subnets = await http.GetFromJsonAsync<JsonElement>("/api/subnets", cts.Token);
                var matmul = subnets.EnumerateArray().FirstOrDefault(s => s.GetProperty("hyperparameters").GetProperty("task").GetString() == "matmul");
                if (matmul.ValueKind != JsonValueKind.Object) continue;
                int netuid = matmul.GetProperty("netuid").GetInt32();
                metagraph = await http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/metagraph", cts.Token);
                bool minerRegistered = metagraph.GetProperty("neurons").EnumerateArray()
                    .Any(n => n.GetProperty("axon") is { ValueKind: JsonValueKind.Object } a && a.GetProperty("name").GetString()!.StartsWith("miner-", StringComparison.Ordinal));
                if (!minerRegistered) continue;
                var epochs = await http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/epochs?limit=5", cts.Token);
                foreach (var e in epochs.EnumerateArray())
                    if (e.GetProperty("serverEmission").GetUInt64() > 0) epoch = e;
            }
            catch (HttpRequestException)
            {
                // The silos are still starting.
            }
        }
        Assert.True(epoch.Value.GetProperty("raoEmission").GetUInt64() > 0);
        var miner = metagraph.GetProperty("neurons").EnumerateArray().First(n => n.GetProperty("axon") is { ValueKind: JsonValueKind.Object } a && a.GetProperty("name").GetString() == "miner-honest-0");
        Assert.Equal(JsonValueKind.Object, miner.ValueKind);
        var audit = await http.GetFromJsonAsync<JsonElement>("/api/audit", cts.Token);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.ToString());
    }
}
