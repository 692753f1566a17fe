using System.Net;
using Bittensor.Silo;
using Bittensor.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Bittensor.Cloud.Tests;

/// <summary>What the settings turn into: the options Orleans runs with, in a silo and in a worker (hosts built, not started).</summary>
public sealed class ClusterHostingTests
{
    /// <summary>A Production silo on shared storage needs TLS or plaintext allowed, and the cluster's secret (issue 9).</summary>
    private static readonly string[] Plaintext = [.. TestChain.ProductionCluster.SelectMany(kv => new[] { $"--{kv.Key}", kv.Value! })];

    [Fact]
    public async Task ASiloOnTables_AdvertisesItsAddress_AndDetectsDeadPeersInTwoSeconds()
    {
        await using var app = SiloApp.Build(["--environment", "Production", "--Storage:Kind", "AzureTable", "--Storage:ConnectionString", "UseDevelopmentStorage=true", .. Plaintext,
            "--Orleans:AdvertisedIPAddress", "10.20.30.40", "--Orleans:SiloPort", "12000", "--Orleans:GatewayPort", "31000", "--Orleans:ClusterId", "prod-1"]);
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal((IPAddress.Parse("10.20.30.40"), 12000, 31000), (endpoints.AdvertisedIPAddress, endpoints.SiloPort, endpoints.GatewayPort));
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("prod-1", "bittensor"), (cluster.ClusterId, cluster.ServiceId));
        var membership = app.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(1), 2, 2, TimeSpan.FromSeconds(5)),
            (membership.ProbeTimeout, membership.NumMissedProbesLimit, membership.NumVotesForDeathDeclaration, membership.TableRefreshTimeout));
    }

    [Fact]
    public async Task ASiloOnTablesOutsideDevelopment_AdvertisesTheHostsAddress_NotLoopback()
    {
        await using var app = SiloApp.Build(["--environment", "Production", "--Storage:Kind", "AzureTable", "--Storage:ConnectionString", "UseDevelopmentStorage=true", .. Plaintext]);
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(ClusterSettings.HostAddress() ?? IPAddress.Loopback, endpoints.AdvertisedIPAddress);
    }

    [Fact]
    public void ASiloWithBadSettings_DoesNotStart_AndSaysWhy()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SiloApp.Build(["--Orleans:SiloPort", "30000", "--Orleans:GatewayPort", "30000"]));
        Assert.Contains("Orleans:SiloPort and Orleans:GatewayPort must differ", e.Message);
    }

    [Fact]
    public void AWorkerWithGateways_UsesThem_WithShortTimeouts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Gateways"] = "10.0.0.5:30000, 10.0.0.6:30000",
            ["Orleans:ClusterId"] = "prod-1",
        });
        builder.AddBittensorClient();
        using var host = builder.Build();
        var gateways = host.Services.GetRequiredService<IOptions<StaticGatewayListProviderOptions>>().Value.Gateways;
        Assert.Equal(["gwy.tcp://10.0.0.5:30000/0", "gwy.tcp://10.0.0.6:30000/0"], gateways.Select(g => g.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(10), host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
        Assert.Equal("prod-1", host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId);
    }
}
