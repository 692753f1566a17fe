using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Api;

/// <summary>Registration of the REST API: problem details, the transient-failure mapping and the endpoint groups.</summary>
public static class ApiExtensions
{
    public static IServiceCollection AddBittensorApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ClusterUnavailableHandler>();
        services.AddBittensorRateLimits();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        return services;
    }

    public static WebApplication MapBittensorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapChainApi();
        app.MapMetagraphApi();
        app.MapDelegatesApi();
        app.MapBlocksApi();
        app.MapTransactionsApi();
        app.MapSimulationApi();
        app.MapClusterApi();
        app.MapBeaconApi();
        return app;
    }
}

/// <summary>
/// While a silo fails over, or while storage is unreachable, calls to grains fail for a moment; the API answers 503 with
/// problem+json and Retry-After (retry shortly) instead of a 500.
/// </summary>
internal sealed class ClusterUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        bool storage = exception is StorageUnavailableException or IOException
            || exception.GetType().FullName == "Azure.RequestFailedException";
        if (!storage && exception is not (Orleans.Runtime.OrleansException or TimeoutException or System.Net.Sockets.SocketException)) return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "2";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = 503,
                Title = storage ? "Storage is unreachable; retry shortly" : "The cluster is failing over; retry shortly",
                Type = storage ? "StorageUnavailable" : "ClusterUnavailable",
            },
            Exception = exception,
        });
    }
}
