using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Bittensor.Silo.Hosting;

/// <summary>
/// Health in three endpoints: <c>/health/live</c> (the process answers: restart it if not), <c>/health/ready</c> (storage
/// reachable and the chain producing: send it traffic), and <c>/health</c> (everything).
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks a liveness probe runs (the service defaults' <c>self</c> check).</summary>
    public const string Live = "live";

    /// <summary>Tag of the checks a readiness probe runs.</summary>
    public const string Ready = "ready";

    public static IHealthChecksBuilder AddBittensorHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ChainProgress>();
        return services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [Ready])
            .AddCheck<ChainHealthCheck>("chain", tags: [Ready]);
    }

    public static WebApplication MapBittensorHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Live) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) });
        return app;
    }
}
