using Orleans.Dashboard;
using Bittensor.Api;
using Bittensor.ServiceDefaults;
using Bittensor.Silo.Hosting;

namespace Bittensor.Silo;

/// <summary>The silo host: the Orleans silo, the REST API, OpenAPI + Swagger UI, the Orleans dashboard, health checks, the explorer at <c>/</c>.</summary>
public static class SiloApp
{
    /// <summary>
    /// Builds the host from command-line arguments (and <paramref name="configure"/>, for hosts that run a silo
    /// in-process, such as the CLI's <c>bench network</c>).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.UseDefaultAddress("http://127.0.0.1:5080");
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddBittensorSilo();
        builder.Services.AddBittensorApi();
        builder.Services.AddOpenApi();
        builder.Services.AddBittensorHealthChecks();

        bool dashboard = builder.DashboardEnabled();
        var app = builder.Build();
        if (builder.SwaggerEnabled())
        {
            app.MapOpenApi();
            app.UseSwaggerUI(o => o.SwaggerEndpoint("/openapi/v1.json", "Bittensor.Orleans"));
        }
        app.MapBittensorApi();
        if (dashboard) app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapBittensorHealth();
        app.UseExplorer();
        return app;
    }
}
