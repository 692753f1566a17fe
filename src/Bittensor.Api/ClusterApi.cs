using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Bittensor.Api;

/// <summary>The cluster itself: its silos with their membership status, and which silo hosts the chain grain (the single writer).</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").WithTags("cluster")
            .MapGet("/cluster", GetCluster).WithName("GetCluster")
            .WithSummary("The cluster's silos (address, name, host, status, start) and the silo hosting the chain grain");
        return app;
    }

    public static async Task<Ok<ClusterDto>> GetCluster(IGrainFactory grains, IOptions<ClusterOptions> options)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var chainHost = await management.GetActivationAddress(grains.GetGrain<IChainGrain>(IChainGrain.Key));
        var silos = hosts
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1).ThenByDescending(h => h.StartTime)
            .Select(h => new SiloDto(h.SiloAddress.ToParsableString(), h.SiloName, h.HostName, h.Status.ToString(),
                new DateTimeOffset(h.StartTime, TimeSpan.Zero), new DateTimeOffset(h.IAmAliveTime, TimeSpan.Zero), h.SiloAddress.Equals(chainHost)))
            .ToList();
        return TypedResults.Ok(new ClusterDto(options.Value.ClusterId, options.Value.ServiceId, chainHost?.ToParsableString(), silos));
    }
}
