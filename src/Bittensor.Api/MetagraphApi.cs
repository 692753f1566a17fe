using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bittensor.Api;

/// <summary>
/// A subnet's metagraph, weights and bonds, now or at a past block of the retained window (<c>?block=N</c>), with field
/// selection (<c>?fields=</c>) and pages of UIDs (<c>?offset=&amp;limit=</c>) for large subnets.
/// </summary>
public static class MetagraphApi
{
    /// <summary>Most UIDs in one page of a metagraph (a subnet's largest size).</summary>
    public const int MaxNeuronsPage = 4096;

    /// <summary>Rows in a page of weights or bonds by default, and at most (a dense 4096-UID row is about 50 KB of JSON).</summary>
    public const int DefaultRowsPage = 64, MaxRowsPage = 256;

    public static IEndpointRouteBuilder MapMetagraphApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/subnets/{netuid}").WithTags("chain");
        api.MapGet("/metagraph", GetMetagraph).Produces<MetagraphDto>().WithName("GetMetagraph")
            .WithSummary("A subnet's neurons; ?block=N as of a retained past block, ?fields=uid,hotkey,… to trim, ?offset=&limit= to page (then the answer also has n, offset, limit)");
        api.MapGet("/weights", GetWeights).WithName("GetWeights")
            .WithSummary("The non-empty weight rows (sparse) of one page of UIDs: ?offset= (0), ?limit= (64, at most 256), ?block=N as of a retained past block");
        api.MapGet("/bonds", GetBonds).WithName("GetBonds")
            .WithSummary("The non-empty bond rows (sparse) of one page of UIDs: ?offset= (0), ?limit= (64, at most 256), ?block=N as of a retained past block");
        return app;
    }

    /// <summary>
    /// A metagraph's JSON, serialized once per published metagraph: the subnet grain publishes an immutable view that a
    /// call on the same silo returns by reference, so reads under load cost one grain call and a copy of cached bytes.
    /// </summary>
    private static readonly ConditionalWeakTable<MetagraphView, byte[]> MetagraphJson = new();

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetMetagraph(ushort netuid, IGrainFactory grains, IOptions<JsonOptions> json,
        string? block, string? fields, string? offset, string? limit)
    {
        if (ParseBlock(block, out ulong? at) is { } badBlock) return badBlock;
        if (ParsePage(offset, limit, MaxNeuronsPage, MaxNeuronsPage, out int first, out int take) is { } badPage) return badPage;
        HashSet<string>? selected = null;
        if (fields is not null)
        {
            selected = [.. fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            string? unknown = selected.FirstOrDefault(f => !NeuronDto.FieldNames.Contains(f));
            if (selected.Count == 0 || unknown is not null)
                return TypedResults.Problem(statusCode: 400, type: "UnknownField",
                    title: $"fields must be a comma-separated list of: {string.Join(", ", NeuronDto.FieldNames.Order(StringComparer.Ordinal))}",
                    detail: unknown is null ? "no field was named" : $"'{unknown}' is not a neuron field");
        }
        MetagraphView? m;
        if (at is ulong b)
        {
            if (await WindowAsync(grains, b) is { } outside) return outside;
            var read = await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAtAsync(b);
            if (read.Value is null && b < read.From) return NotRetained(b, read.From, $"subnet {netuid}");
            m = read.Value;
        }
        else m = await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync();
        if (m is null) return at is ulong missing ? TypedResults.Problem(statusCode: 404, title: $"no subnet had netuid {netuid} at block {missing}", type: "SubnetNotFound")
            : ChainApi.SubnetNotFound(netuid);
        var options = json.Value.SerializerOptions;
        if (at is null && selected is null && offset is null && limit is null)
            return TypedResults.Bytes(MetagraphJson.GetValue(m, view => JsonSerializer.SerializeToUtf8Bytes(MetagraphDto.From(view), options)), "application/json");
        var dto = MetagraphDto.From(m with { Neurons = [.. m.Neurons.Skip(first).Take(take)] });
        var neurons = dto.Neurons.Select(n =>
        {
            var node = JsonSerializer.SerializeToNode(n, options)!.AsObject();
            if (selected is not null) foreach (string name in node.Select(p => p.Key).Where(k => !selected.Contains(k)).ToList()) node.Remove(name);
            return node;
        }).ToList();
        return TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(new MetagraphPageDto(m.Netuid, m.Block, m.Neurons.Length, first, take, neurons), options), "application/json");
    }

    public static Task<Results<Ok<MatrixDto>, ProblemHttpResult>> GetWeights(ushort netuid, IGrainFactory grains, string? block, string? offset, string? limit) =>
        MatrixAsync(MatrixKind.Weights, netuid, grains, block, offset, limit);

    public static Task<Results<Ok<MatrixDto>, ProblemHttpResult>> GetBonds(ushort netuid, IGrainFactory grains, string? block, string? offset, string? limit) =>
        MatrixAsync(MatrixKind.Bonds, netuid, grains, block, offset, limit);

    private static async Task<Results<Ok<MatrixDto>, ProblemHttpResult>> MatrixAsync(MatrixKind kind, ushort netuid, IGrainFactory grains, string? block, string? offset, string? limit)
    {
        if (ParseBlock(block, out ulong? at) is { } badBlock) return badBlock;
        if (ParsePage(offset, limit, DefaultRowsPage, MaxRowsPage, out int first, out int take) is { } badPage) return badPage;
        if (at is ulong b && await WindowAsync(grains, b) is { } outside) return outside;
        var read = await grains.GetGrain<ISubnetGrain>(netuid).GetMatrixAsync(kind, at, first, take);
        if (read.Value is not { } m)
        {
            if (at is ulong old && old < read.From) return NotRetained(old, read.From, $"subnet {netuid}");
            return at is ulong missing ? TypedResults.Problem(statusCode: 404, title: $"no subnet had netuid {netuid} at block {missing}", type: "SubnetNotFound")
                : ChainApi.SubnetNotFound(netuid);
        }
        return TypedResults.Ok(new MatrixDto(m.Netuid, m.Block, m.N, m.Offset, take, [.. m.Rows.Select(r => new MatrixRowDto(r.Uid, r.Hotkey, [.. r.Uids], [.. r.Weights]))]));
    }

    /// <summary>Parses <c>?block=</c> (absent: now); a 400 naming the rule when it is not a block number.</summary>
    internal static ProblemHttpResult? ParseBlock(string? text, out ulong? block)
    {
        block = null;
        if (text is null) return null;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            return TypedResults.Problem(statusCode: 400, title: "block must be a block number (a non-negative integer)", detail: $"'{text}' is not one", type: "InvalidBlock");
        block = value;
        return null;
    }

    /// <summary>
    /// A view now (<paramref name="block"/> absent) or at a past block of the retained window; null and the 4xx naming the
    /// broken rule otherwise (<paramref name="who"/> names the grain in a <c>BlockNotRetained</c> answer).
    /// </summary>
    internal static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(IGrainFactory grains, string? block, Func<Task<T>> now,
        Func<ulong, Task<Retained<T>>> at, string who) where T : class
    {
        if (ParseBlock(block, out ulong? past) is { } bad) return (null, bad);
        if (past is not ulong b) return (await now(), null);
        if (await WindowAsync(grains, b) is { } outside) return (null, outside);
        var read = await at(b);
        return read.Value is null ? (null, NotRetained(b, read.From, who)) : (read.Value, null);
    }

    /// <summary>
    /// The retained window's rule: a past block must be produced already and at most <c>Chain:HistoryBlocks</c> blocks old
    /// (400 <c>BlockNotProduced</c>, 410 <c>BlockNotRetained</c>); null when <paramref name="block"/> is in it.
    /// </summary>
    internal static async Task<ProblemHttpResult?> WindowAsync(IGrainFactory grains, ulong block)
    {
        var chain = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
        if (block > chain.Block)
            return TypedResults.Problem(statusCode: 400, type: "BlockNotProduced",
                title: $"block {block} has not been produced yet (the chain is at block {chain.Block})");
        ulong from = chain.Block - Math.Min(chain.Block, chain.HistoryBlocks);
        return block < from ? NotRetained(block, from, "the chain") : null;
    }

    /// <summary>410 <c>BlockNotRetained</c>: the block is older than what <paramref name="who"/> keeps.</summary>
    internal static ProblemHttpResult NotRetained(ulong block, ulong from, string who) => TypedResults.Problem(statusCode: 410, type: "BlockNotRetained",
        title: $"block {block} is not retained: past state is kept for the last Chain:HistoryBlocks blocks, from the block a grain was activated",
        detail: from == ulong.MaxValue ? $"{who} retains no past block yet" : $"{who} answers blocks from {from} on");

    /// <summary>Parses <c>?offset=&amp;limit=</c>: offset ≥ 0 (default 0), limit in 1..<paramref name="max"/> (default <paramref name="fallback"/>).</summary>
    internal static ProblemHttpResult? ParsePage(string? offsetText, string? limitText, int fallback, int max, out int offset, out int limit)
    {
        offset = 0;
        limit = fallback;
        if (offsetText is not null && !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            return TypedResults.Problem(statusCode: 400, title: "offset must be a non-negative integer (the first UID of the page)", type: "InvalidOffset");
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max))
            return TypedResults.Problem(statusCode: 400, title: $"limit must be in 1..{max}", type: "InvalidLimit");
        return null;
    }
}
