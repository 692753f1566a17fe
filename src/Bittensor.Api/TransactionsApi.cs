using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bittensor.Api;

/// <summary>
/// The one write endpoint: signed transactions, verified before anything is parsed, then checked for chain id and
/// nonce, then executed atomically by the chain. And their preflight, which reports every rule a call would break.
/// </summary>
public static class TransactionsApi
{
    /// <summary>Largest accepted body.</summary>
    public const int MaxBody = 1 << 20;

    public static IEndpointRouteBuilder MapTransactionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/transactions").WithTags("transactions").RequireRateLimiting(RateLimits.WritePolicy);
        api.MapPost("", Submit).WithName("SubmitTransaction")
            .WithSummary("Submit a signed transaction {signer, payload, signature}; payload = {chain, nonce, call, args}")
            .Accepts<TransactionBody>("application/json");
        api.MapPost("/preflight", Preflight).WithName("PreflightTransaction")
            .WithSummary("Every rule the call would break now (signature optional); changes nothing")
            .Accepts<TransactionBody>("application/json");
        app.MapGet("/api/transactions/{hash}", GetStatus).WithTags("transactions").WithName("GetTransaction")
            .WithSummary("Where a transaction stands by its hash: pending, applied, rejected or expired, with the block");
        return app;
    }

    /// <summary>
    /// <c>GET /api/transactions/{hash}</c>: the index's entry for a recent transaction (the latest ~million), or 404
    /// <c>UnknownTransaction</c>. The hash is BLAKE2b-256 over the signer's public key and the payload's bytes
    /// (<see cref="Keys.SignedTransaction.HashOf"/>).
    /// </summary>
    public static async Task<IResult> GetStatus(string hash, IGrainFactory grains)
    {
        if (!Keys.Hashes.IsHex(hash, 64))
            return Problem(400, "InvalidHash", "a transaction hash is 0x followed by 64 hex digits");
        hash = hash.ToLowerInvariant();
        var status = await grains.GetGrain<ITransactionIndex>(ITransactionIndex.ShardOf(hash)).GetAsync(hash);
        if (status is null)
            return Problem(404, "UnknownTransaction", $"no recent transaction has hash {hash} (the index keeps about a million; resubmitting a transaction answers its outcome)");
        return TypedResults.Ok(new
        {
            hash = status.Hash, status = status.State, block = status.Block, signer = status.Signer, nonce = status.Nonce, call = status.Call,
            code = status.Code, message = status.Message,
            result = status.State == TransactionStatus.Applied ? new { netuid = status.Netuid, uid = status.Uid, amount = status.Amount, fee = status.Fee } : null,
        });
    }

    /// <summary>The request body.</summary>
    public sealed record TransactionBody(string Signer, string Payload, string? Signature);

    public static async Task<IResult> Submit(HttpContext context, IGrainFactory grains, SignerLimiter limiter)
    {
        var (body, error) = await ReadAsync(context);
        if (error is not null) return error;
        if (limiter.Check(body!.Signer) is { } limited) return limited;
        var outcome = await grains.GetGrain<ITransactionsGrain>(0).SubmitAsync(body!.Signer, body.Payload, body.Signature);
        if (outcome.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        if (!outcome.Ok) return Problem(outcome.Status, outcome.Code!, outcome.Message!, outcome.NextAllowedBlock);
        return TypedResults.Ok(new
        {
            block = outcome.Block,
            fee = outcome.Fee,
            result = new { netuid = outcome.Netuid, uid = outcome.Uid, amount = outcome.Amount },
        });
    }

    public static async Task<IResult> Preflight(HttpContext context, IGrainFactory grains, SignerLimiter limiter)
    {
        var (body, error) = await ReadAsync(context);
        if (error is not null) return error;
        if (limiter.Check(body!.Signer) is { } limited) return limited;
        var report = await grains.GetGrain<ITransactionsGrain>(0).PreflightAsync(body!.Signer, body.Payload, body.Signature);
        return TypedResults.Ok(new
        {
            ok = report.Ok,
            block = report.Block,
            passesFromBlock = report.PassesFromBlock,
            fee = report.Fee,
            failures = report.Failures.Select(f => new { code = f.Code, message = f.Message, passesFromBlock = f.PassesFromBlock }),
        });
    }

    /// <summary>Reads the body (at most <see cref="MaxBody"/> bytes) and checks its shape {signer, payload, signature}.</summary>
    private static async Task<(TransactionBody?, IResult?)> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBody) return (null, Problem(413, "PayloadTooLarge", $"the body exceeds {MaxBody} bytes"));
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) return (null, Problem(413, "PayloadTooLarge", $"the body exceeds {MaxBody} bytes"));
        }
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the body must be a JSON object {signer, payload, signature}");
            foreach (var field in root.EnumerateObject())
                if (field.Name is not ("signer" or "payload" or "signature")) throw new FormatException($"'{field.Name}' is not a body field (signer, payload, signature)");
            string signer = root.TryGetProperty("signer", out var s) ? (s.ValueKind == JsonValueKind.String ? s.GetString()! : throw new FormatException("'signer' must be a string")) : "";
            string payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()!
                : throw new FormatException("'payload' must be a string holding the payload's JSON text");
            string? signature = !root.TryGetProperty("signature", out var g) || g.ValueKind == JsonValueKind.Null ? null
                : g.ValueKind == JsonValueKind.String ? g.GetString() : throw new FormatException("'signature' must be a string");
            return (new TransactionBody(signer, payload, signature), null);
        }
        catch (InvalidOperationException)
        {
            return (null, Problem(400, "MalformedTransaction", "the body's strings must be valid Unicode (no lone surrogates)"));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return (null, Problem(400, "MalformedTransaction", e.Message));
        }
    }

    private static IResult Problem(int status, string code, string detail, ulong? nextAllowedBlock = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (nextAllowedBlock is not null) extensions["nextAllowedBlock"] = nextAllowedBlock;
        return TypedResults.Problem(statusCode: status, title: code, detail: detail, type: code, extensions: extensions);
    }
}
