using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bittensor.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bittensor.Api;

/// <summary>
/// Blocks, extrinsics and events from the block log (<see cref="IBlockLog"/>), and the live event stream as Server-Sent
/// Events, resumable from the last event id. Query values are validated: a bad one is a 400 whose title names the parameter.
/// </summary>
public static class BlocksApi
{
    /// <summary>Most blocks per GET /api/blocks.</summary>
    public const int MaxBlocks = 100;

    /// <summary>Most events per GET /api/events.</summary>
    public const int MaxEvents = 1000;

    /// <summary>How long the stream waits for an event before it sends a keep-alive comment.</summary>
    public static TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapBlocksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("blocks");
        api.MapGet("/blocks/{number}", GetBlock).WithName("GetBlock")
            .WithSummary("A block: number, parent hash, hash of its changes, timestamp, hash (once sealed), extrinsics with outcomes, events");
        api.MapGet("/blocks", GetBlocks).WithName("GetBlocks")
            .WithSummary("Blocks from 'from' on, ascending (limit 1..100, default 20); without 'from', the newest 'limit' blocks");
        api.MapGet("/events", GetEvents).WithName("GetEvents")
            .WithSummary("Events in id order, filtered by block, kind (comma-separated), account, netuid; page with after= (the previous page's next) and limit 1..1000");
        api.MapGet("/events/kinds", () => TypedResults.Ok(EventKinds.All.Keys.Order(StringComparer.Ordinal).ToArray())).WithName("GetEventKinds")
            .WithSummary("Every event kind the chain emits (the stream's 'event:' names; docs/events.md describes each)");
        api.MapGet("/events/stream", Stream).WithName("StreamEvents")
            .WithSummary("Server-Sent Events: every new event (id = event id), filtered by kind, netuid, account; resumes after the Last-Event-ID header (or after=)");
        return app;
    }

    public static async Task<Results<Ok<BlockDto>, ProblemHttpResult>> GetBlock(string number, IGrainFactory grains)
    {
        if (!TryU64(number, out ulong n)) return Invalid("number", "number must be a block number (a non-negative integer)");
        var log = grains.GetGrain<IBlockLog>(IBlockLog.Key);
        var block = await log.GetBlockAsync(n);
        if (block is not null) return TypedResults.Ok(BlockDto.From(block));
        var status = await log.GetStatusAsync();
        string title = status.Empty ? $"block {n} is not in the block log (it is empty)"
            : n > status.HeadBlock ? $"block {n} is not produced yet (the head is {status.HeadBlock})"
            : $"block {n} is no longer kept (the log keeps blocks {status.FirstBlock}..{status.HeadBlock}: Chain:RetainBlocks)";
        return TypedResults.Problem(statusCode: 404, title: title, type: "BlockNotFound");
    }

    public static async Task<Results<Ok<BlocksDto>, ProblemHttpResult>> GetBlocks(string? from, string? limit, IGrainFactory grains)
    {
        int take = MaxBlocks / 5;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxBlocks))
            return Invalid("limit", $"limit must be an integer in 1..{MaxBlocks}");
        ulong start = 0;
        if (from is not null && !TryU64(from, out start)) return Invalid("from", "from must be a block number (a non-negative integer)");
        var log = grains.GetGrain<IBlockLog>(IBlockLog.Key);
        var status = await log.GetStatusAsync();
        if (from is null) start = status.HeadBlock >= (ulong)take ? status.HeadBlock - (ulong)take + 1 : 0;
        var blocks = status.Empty ? [] : await log.GetBlocksAsync(start, take);
        return TypedResults.Ok(new BlocksDto(status.FirstBlock, status.HeadBlock, [.. blocks.Select(BlockDto.From)]));
    }

    public static async Task<Results<Ok<EventsDto>, ProblemHttpResult>> GetEvents(string? block, string? kind, string? account, string? netuid,
        string? after, string? limit, IGrainFactory grains)
    {
        var (filter, problem) = Filter(kind, netuid, account, block);
        if (problem is not null) return problem;
        int take = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxEvents))
            return Invalid("limit", $"limit must be an integer in 1..{MaxEvents}");
        long start = 0;
        if (after is not null && !TryId(after, out start)) return Invalid("after", "after must be an event id (a non-negative integer)");
        var page = await grains.GetGrain<IBlockLog>(IBlockLog.Key).ReadEventsAsync(start, filter!, take, TimeSpan.Zero);
        return TypedResults.Ok(new EventsDto(page.Through, page.FirstEventId, page.LastEventId, [.. page.Events.Select(EventDto.From)]));
    }

    /// <summary>
    /// The live stream. Each event is sent as <c>id: {event id}</c>, <c>event: {kind}</c>, <c>data: {event JSON}</c>; a client
    /// that reconnects with <c>Last-Event-ID</c> (as browsers' EventSource do) gets every matching event after that id exactly
    /// once. Without it (or <c>after=</c>) the stream starts at the newest event. If events after the id asked for were already
    /// dropped by retention, an <c>event: gap</c> (no id) says which ids are lost before the stream goes on. Comments keep the
    /// connection alive while nothing happens.
    /// </summary>
    public static async Task<IResult> Stream(HttpContext context, string? kind, string? netuid, string? account, string? after,
        IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (filter, problem) = Filter(kind, netuid, account, block: null);
        if (problem is not null) return problem;
        string? resume = context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } header ? header : after;
        long position = 0;
        if (resume is not null && !TryId(resume, out position))
            return Invalid(context.Request.Headers.ContainsKey("Last-Event-ID") ? "Last-Event-ID" : "after", "Last-Event-ID (or after) must be an event id (a non-negative integer)");
        var log = grains.GetGrain<IBlockLog>(IBlockLog.Key);
        if (resume is null) position = (await log.GetStatusAsync()).LastEventId;

        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        var options = json.Value.SerializerOptions;
        try
        {
            await response.WriteAsync("retry: 2000\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            while (!aborted.IsCancellationRequested)
            {
                var page = await log.ReadEventsAsync(position, filter!, 500, KeepAlive);
                if (page.Gap)
                    await response.WriteAsync($"event: gap\ndata: {{\"from\":{position + 1},\"to\":{page.FirstEventId - 1}}}\n\n", aborted);
                foreach (var e in page.Events)
                    await response.WriteAsync($"id: {e.Id}\nevent: {e.Kind}\ndata: {JsonSerializer.Serialize(EventDto.From(e), options)}\n\n", aborted);
                if (page.Events.Length == 0 && !page.Gap) await response.WriteAsync(": keep-alive\n\n", aborted);
                await response.Body.FlushAsync(aborted);
                position = page.Through;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        return Results.Empty;
    }

    /// <summary>The filter from query values, or a 400 naming the first bad one.</summary>
    private static (EventFilter?, ProblemHttpResult?) Filter(string? kind, string? netuid, string? account, string? block)
    {
        var kinds = ImmutableArray<string>.Empty;
        if (kind is not null)
        {
            kinds = [.. kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            string? unknown = kinds.FirstOrDefault(k => !EventKinds.All.ContainsKey(k));
            if (kinds.IsEmpty || unknown is not null)
                return (null, Invalid("kind", $"kind must be one or more (comma-separated) of {string.Join(", ", EventKinds.All.Keys.Order(StringComparer.Ordinal))}",
                    unknown is null ? "kind is empty" : $"'{unknown}' is not an event kind"));
        }
        ushort? subnet = null;
        if (netuid is not null)
        {
            if (!ushort.TryParse(netuid, NumberStyles.None, CultureInfo.InvariantCulture, out ushort n)) return (null, Invalid("netuid", "netuid must be an integer in 0..65535"));
            subnet = n;
        }
        if (account is not null && !Addresses.IsWellFormed(account)) return (null, Invalid("account", "account must be an address (SS58, or a development key name of letters, digits, '-', '_' and '.')", $"'{account}' is not an address"));
        ulong? number = null;
        if (block is not null)
        {
            if (!TryU64(block, out ulong b)) return (null, Invalid("block", "block must be a block number (a non-negative integer)"));
            number = b;
        }
        return (new EventFilter { Kinds = kinds, Netuid = subnet, Account = account, Block = number }, null);
    }

    private static bool TryU64(string text, out ulong value) => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryId(string text, out long value) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A 400 whose title states the rule and names the parameter; <c>type</c> is <c>Invalid{Parameter}</c>.</summary>
    private static ProblemHttpResult Invalid(string parameter, string title, string? detail = null) =>
        TypedResults.Problem(statusCode: 400, title: title, detail: detail, type: "Invalid" + string.Concat(parameter.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
