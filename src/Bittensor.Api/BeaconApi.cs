using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bittensor.Api;

/// <summary>The in-cluster randomness beacon that timelocked weight commits (commit-reveal v4) are sealed to.</summary>
public static class BeaconApi
{
    public static IEndpointRouteBuilder MapBeaconApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").WithTags("chain")
            .MapGet("/beacon", GetBeacon).WithName("GetBeacon")
            .WithSummary("The randomness beacon: anchor, blocks per round, the latest published round and its secret, and the X25519 public key of ?round=R (default: the next round) to seal commit_timelocked_weights to");
        return app;
    }

    public static async Task<Results<Ok<BeaconView>, ProblemHttpResult>> GetBeacon(IGrainFactory grains, ulong? round = null)
    {
        var view = await grains.GetGrain<IBeaconGrain>(0).GetAsync(round);
        return view is null
            ? TypedResults.Problem(statusCode: 400, title: $"round {round} is past the beacon's last round", type: Runtime.Codes.InvalidRevealRound)
            : TypedResults.Ok(view);
    }
}
