using Bittensor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Api.Tests;

/// <summary>The real host (silo + REST API) in-process, with a stepped development chain and free Orleans ports.</summary>
public class SiloFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public SiloFactory(IDictionary<string, string?>? overrides = null) => _settings = TestChain.HostSettings("api-test", overrides);

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IChainGrain Chain => Grains.GetGrain<IChainGrain>(IChainGrain.Key);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // UseSetting (not ConfigureAppConfiguration) so that Program sees the values before Build().
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public async Task<OpResult> Ok(Operation op)
    {
        var r = await Chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        return r;
    }
}
