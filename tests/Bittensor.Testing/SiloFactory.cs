using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Testing;

/// <summary>The real host (silo + REST API) in-process, with a stepped development chain and free Orleans ports.</summary>
public class SiloFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <summary>A host with the test chain's settings, then <paramref name="overrides"/>.</summary>
    public SiloFactory(IDictionary<string, string?>? overrides = null) => _settings = TestChain.HostSettings("api-test", overrides);

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IChainGrain Chain => Grains.GetGrain<IChainGrain>(IChainGrain.Key);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // UseSetting (not ConfigureAppConfiguration) so that Program sees the values before Build().
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>Executes <paramref name="op"/> directly on the chain grain; throws (failing the test) unless it succeeds.</summary>
    public async Task<OpResult> Ok(Operation op)
    {
        var r = await Chain.ExecuteAsync(op);
        return r.Ok ? r : throw new InvalidOperationException($"{op.GetType().Name}: {r.Code}: {r.Message}");
    }
}
