using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bittensor.Runtime.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bittensor.Api;

/// <summary>
/// The simulation lab on live state: what-if epochs on a fork of a subnet (nothing on the chain changes), and a subnet's
/// state as a <c>bittensor-scenario/1</c> document to go on with offline (<c>bittensor sim run</c>).
/// </summary>
public static class SimulationApi
{
    /// <summary>Largest what-if body, bytes.</summary>
    public const int MaxBody = 1 << 20;

    public static IEndpointRouteBuilder MapSimulationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/subnets").WithTags("simulation");
        api.MapPost("/{netuid}/whatif", WhatIf).RequireRateLimiting(RateLimits.WritePolicy).WithName("WhatIf")
            .WithSummary("Fork the subnet's current state and run k epochs as they come and with hyperparameter overrides and weight edits " +
                "({\"hyperparameters\": {...}, \"weights\": {\"<uid>\": [[uid, value], ...]}, \"epochs\": k}); per UID incentive, dividends, emission and stake before and after. Changes nothing")
            .Accepts<JsonElement>("application/json").Produces<WhatIfDto>();
        api.MapGet("/{netuid}/snapshot", Snapshot).WithName("GetSnapshot")
            .WithSummary("The subnet's state as a bittensor-scenario/1 document (its hyperparameters, validators with their stake, miners with their incentive as quality) that `bittensor sim run` accepts");
        return app;
    }

    public static async Task<IResult> WhatIf(ushort netuid, HttpContext context, IGrainFactory grains)
    {
        if (context.Request.ContentLength > MaxBody) return Problem(413, "PayloadTooLarge", "body", $"the body exceeds {MaxBody} bytes");
        WhatIfRequest request;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false },
                context.RequestAborted);
            request = Read(netuid, doc.RootElement);
        }
        catch (JsonException e)
        {
            return Problem(400, "InvalidWhatIf", "body", $"the body is not valid JSON: {e.Message}");
        }
        catch (WhatIfFieldException e)
        {
            return Problem(400, "InvalidWhatIf", e.Field, e.Message);
        }
        var chain = grains.GetGrain<IChainGrain>(IChainGrain.Key);
        if (await chain.GetSubnetInfoAsync(netuid) is null) return ChainApi.SubnetNotFound(netuid);
        var r = await chain.WhatIfAsync(request);
        if (r.Error is { } error)
        {
            int status = error switch
            {
                Runtime.Codes.SubnetNotFound => 404,
                "EpochInFlight" => 409,
                Runtime.Codes.StorageUnavailable => 503,
                _ => 400,
            };
            return Problem(status, error, r.Field!, r.Message!);
        }
        return TypedResults.Ok(WhatIfDto.From(r));
    }

    public static async Task<IResult> Snapshot(ushort netuid, string? blocks, IGrainFactory grains)
    {
        var info = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetInfoAsync(netuid);
        if (info is null) return ChainApi.SubnetNotFound(netuid);
        ulong run = info.Hyperparameters.Tempo * 10;
        if (blocks is not null && (!ulong.TryParse(blocks, NumberStyles.None, CultureInfo.InvariantCulture, out run) || run is 0 or > 100_000_000))
            return Problem(400, "InvalidBlocks", "blocks", "blocks must be an integer in 1..100000000");
        var m = await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync();
        if (m is null) return ChainApi.SubnetNotFound(netuid);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            ScenarioSnapshot.Write(w, netuid, m.Block, run, info.Hyperparameters, info.OwnerHotkey,
                [.. m.Neurons.Select(n => new SnapshotNeuron(n.Uid, n.Hotkey, n.Stake, n.ValidatorPermit, n.Incentive, n.Dividends))]);
        return TypedResults.File(buffer.ToArray(), "application/json", $"subnet-{netuid}-block-{m.Block}.scenario.json");
    }

    /// <summary>Reads <c>{"hyperparameters": {name: value}, "weights": {"uid": [[uid, value], ...]}, "epochs": k}</c>.</summary>
    internal static WhatIfRequest Read(ushort netuid, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new WhatIfFieldException("body", "the body must be a JSON object {hyperparameters, weights, epochs}");
        foreach (var p in root.EnumerateObject())
            if (p.Name is not ("hyperparameters" or "weights" or "epochs"))
                throw new WhatIfFieldException(p.Name, $"'{p.Name}' is not a field of a what-if (hyperparameters, weights, epochs)");
        int epochs = 1;
        if (root.TryGetProperty("epochs", out var e) && (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out epochs) || epochs is < 1 or > WhatIfRequest.MaxEpochs))
            throw new WhatIfFieldException("epochs", $"epochs must be an integer in 1..{WhatIfRequest.MaxEpochs}");
        var hyper = ImmutableArray.CreateBuilder<HyperparameterOverride>();
        if (root.TryGetProperty("hyperparameters", out var h))
        {
            if (h.ValueKind != JsonValueKind.Object) throw new WhatIfFieldException("hyperparameters", "hyperparameters must be an object {name: value}");
            foreach (var p in h.EnumerateObject())
            {
                string value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw new WhatIfFieldException($"hyperparameters.{p.Name}", "a hyperparameter's value is a number, a boolean or a string"),
                };
                hyper.Add(new HyperparameterOverride(p.Name, value));
            }
        }
        var weights = ImmutableArray.CreateBuilder<WeightEdit>();
        if (root.TryGetProperty("weights", out var ws))
        {
            if (ws.ValueKind != JsonValueKind.Object) throw new WhatIfFieldException("weights", "weights must be an object {\"<uid>\": [[uid, value], ...]}");
            foreach (var row in ws.EnumerateObject())
            {
                string field = $"weights.{row.Name}";
                if (!ushort.TryParse(row.Name, NumberStyles.None, CultureInfo.InvariantCulture, out ushort uid))
                    throw new WhatIfFieldException(field, $"'{row.Name}' is not a UID (0..65535)");
                if (row.Value.ValueKind != JsonValueKind.Array) throw new WhatIfFieldException(field, "a row is an array of [uid, value] pairs");
                var uids = ImmutableArray.CreateBuilder<ushort>();
                var values = ImmutableArray.CreateBuilder<ushort>();
                foreach (var pair in row.Value.EnumerateArray())
                {
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || !U16(pair[0], out ushort to) || !U16(pair[1], out ushort value))
                        throw new WhatIfFieldException(field, "each entry is [uid, value] with both in 0..65535");
                    uids.Add(to);
                    values.Add(value);
                }
                weights.Add(new WeightEdit(uid, uids.ToImmutable(), values.ToImmutable()));
            }
        }
        return new WhatIfRequest { Netuid = netuid, Epochs = epochs, Hyperparameters = hyper.ToImmutable(), Weights = weights.ToImmutable() };

        static bool U16(JsonElement x, out ushort v)
        {
            v = 0;
            return x.ValueKind == JsonValueKind.Number && x.TryGetUInt16(out v);
        }
    }

    private static IResult Problem(int status, string code, string field, string detail) =>
        TypedResults.Problem(statusCode: status, title: code, detail: $"{field}: {detail}", type: code,
            extensions: new Dictionary<string, object?> { ["code"] = code, ["field"] = field });

    /// <summary>A what-if body field that is wrong.</summary>
    private sealed class WhatIfFieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}

/// <summary>POST /api/subnets/{netuid}/whatif: per UID the outcome as the chain goes on (before) and with the edits (after).</summary>
public sealed record WhatIfDto(ushort Netuid, ulong Block, int Epochs, ulong BlocksBefore, ulong BlocksAfter, IReadOnlyList<WhatIfUidDto> Uids)
{
    public static WhatIfDto From(WhatIfResult r) => new(r.Netuid, r.Block, r.Epochs, r.BlocksBefore, r.BlocksAfter,
        [.. r.Uids.Select(u => new WhatIfUidDto(u.Uid, u.Hotkey, Outcome(u.Before), Outcome(u.After)))]);

    private static WhatIfOutcomeDto Outcome(WhatIfOutcome o) => new(o.Incentive, o.Dividends, o.Emission, o.Stake);
}

/// <summary>One UID of a what-if.</summary>
public sealed record WhatIfUidDto(ushort Uid, string Hotkey, WhatIfOutcomeDto Before, WhatIfOutcomeDto After);

/// <summary>A UID's last epoch's incentive and dividends (u16 of 65535) and emission, and its stake (rao of alpha), at the end of a run.</summary>
public sealed record WhatIfOutcomeDto(ushort Incentive, ushort Dividends, ulong Emission, ulong Stake);
