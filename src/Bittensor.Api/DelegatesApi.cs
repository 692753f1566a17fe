using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bittensor.Api;

/// <summary>Delegates (subtensor's <c>get_delegates</c>): hotkeys that nominators stake on, with their take and stake per subnet.</summary>
public static class DelegatesApi
{
    /// <summary>Largest page.</summary>
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapDelegatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("delegation");
        api.MapGet("/delegates", GetDelegates).WithName("GetDelegates")
            .WithSummary("Delegates by total stake, largest first: hotkey, owner, take, stake and nominators per subnet (limit 1..200, default 50; offset)");
        return app;
    }

    /// <summary>
    /// One page of delegates. The delegates are the hotkeys registered on some subnet, ranked by the stake the metagraphs
    /// show; the page's hotkeys are then read for take and nominators. Cost: one call per subnet and one per hotkey on the
    /// page, each group concurrently: two round trips, bounded by the subnet cap and <see cref="MaxLimit"/>, whatever the
    /// number of hotkeys.
    /// </summary>
    public static async Task<Results<Ok<DelegatesDto>, ProblemHttpResult>> GetDelegates(IGrainFactory grains, int? limit, int? offset)
    {
        int take = limit ?? 50, skip = offset ?? 0;
        if (take is < 1 or > MaxLimit) return TypedResults.Problem(statusCode: 400, title: $"limit must be in 1..{MaxLimit}", type: "InvalidLimit");
        if (skip < 0) return TypedResults.Problem(statusCode: 400, title: "offset must be at least 0", type: "InvalidOffset");
        var netuids = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetsAsync();
        var metagraphs = await Task.WhenAll(netuids.Select(n => grains.GetGrain<ISubnetGrain>(n).GetMetagraphAsync()));
        var ranked = metagraphs.Where(m => m is not null).SelectMany(m => m!.Neurons)
            .GroupBy(n => n.Hotkey, StringComparer.Ordinal)
            .Select(g => (Hotkey: g.Key, Stake: g.Aggregate(0UL, (sum, n) => sum + n.Stake)))
            .OrderByDescending(d => d.Stake).ThenBy(d => d.Hotkey, StringComparer.Ordinal)
            .ToList();
        var page = ranked.Skip(skip).Take(take).ToList();
        var views = await Task.WhenAll(page.Select(d => grains.GetGrain<IHotkeyGrain>(d.Hotkey).GetAsync()));
        var delegates = views.Select(h =>
        {
            var subnets = h.Stakes.GroupBy(s => s.Netuid).OrderBy(g => g.Key)
                .Select(g => new DelegateStakeDto(g.Key, g.Aggregate(0UL, (sum, s) => sum + s.Alpha), g.Count())).ToList();
            return new DelegateDto(h.Address, h.Owner, h.Take, subnets.Aggregate(0UL, (sum, s) => sum + s.Stake), subnets);
        }).ToList();
        return TypedResults.Ok(new DelegatesDto(ranked.Count, skip, take, delegates));
    }
}
