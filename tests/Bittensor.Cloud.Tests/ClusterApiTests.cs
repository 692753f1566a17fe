using System.Net.Http.Json;
using System.Text.Json;
using Bittensor.Testing;

namespace Bittensor.Cloud.Tests;

/// <summary>GET /api/cluster on a real host.</summary>
public sealed class ClusterApiTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Cluster_ListsTheActiveSilo_AndNamesItAsTheChainsHost()
    {
        var http = _factory.CreateClient();
        await http.GetStringAsync("/api/chain"); // activates the chain grain
        var cluster = await http.GetFromJsonAsync<JsonElement>("/api/cluster");
        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.True(silo.GetProperty("hostsChain").GetBoolean());
        Assert.Equal(silo.GetProperty("address").GetString(), cluster.GetProperty("chainHost").GetString());
        Assert.Equal("bittensor", cluster.GetProperty("serviceId").GetString());
    }
}
