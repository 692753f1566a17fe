using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Api.Tests;

/// <summary>The real host (silo + REST API) in-process, with a stepped development chain and free Orleans ports.</summary>
public class SiloFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public SiloFactory(IDictionary<string, string?>? overrides = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Chain:Id"] = "api-test",
            ["Chain:BlockTime"] = "00:00:01",
            ["Chain:NewSubnetTempo"] = "10",
            ["Chain:Faucet"] = "true",
            ["Chain:GenesisIssuance"] = (1_000_000 * Tao.Rao).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chain:MinLockCost"] = (100 * Tao.Rao).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chain:AutoStart"] = "false",
            ["Chain:TrustClients"] = "true", // the tests drive a private cluster directly
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Orleans:Dashboard"] = "true",
        };
        if (overrides is not null) foreach (var (k, v) in overrides) _settings[k] = v;
    }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IChainGrain Chain => Grains.GetGrain<IChainGrain>(IChainGrain.Key);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // UseSetting (not ConfigureAppConfiguration) so that Program sees the values before Build().
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async Task<OpResult> Ok(Operation op)
    {
        var r = await Chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        return r;
    }
}
