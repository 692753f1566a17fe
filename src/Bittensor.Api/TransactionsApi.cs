using System.Text;
using System.Text.Json;
using Bittensor.Keys;
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
        var api = app.MapGroup("/api/transactions").WithTags("transactions");
        api.MapPost("", Submit).WithName("SubmitTransaction")
            .WithSummary("Submit a signed transaction {signer, payload, signature}; payload = {chain, nonce, call, args}")
            .Accepts<TransactionBody>("application/json");
        api.MapPost("/preflight", Preflight).WithName("PreflightTransaction")
            .WithSummary("Every rule the call would break now (signature optional); changes nothing")
            .Accepts<TransactionBody>("application/json");
        return app;
    }

    /// <summary>The request body.</summary>
    public sealed record TransactionBody(string Signer, string Payload, string? Signature);

    private sealed record Parsed(string Signer, byte[] PayloadBytes, string? Signature, string Chain, ulong Nonce, string Call, JsonElement Args);

    public static async Task<IResult> Submit(HttpContext context, IGrainFactory grains)
    {
        var (parsed, error) = await ReadAsync(context, requireSignature: true);
        if (error is not null) return error;
        var chain = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
        if (parsed!.Chain != chain.ChainId)
            return Problem(409, "WrongChain", $"the payload names chain '{parsed.Chain}'; this is '{chain.ChainId}'");
        Operation? op;
        try
        {
            op = TransactionCalls.Parse(parsed.Call, parsed.Args, parsed.Signer, parsed.Nonce);
        }
        catch (CallFormatException e)
        {
            return Problem(400, "InvalidArgs", e.Message);
        }
        if (op is null) return Problem(400, "UnknownCall", $"unknown call '{parsed.Call}'; calls: {string.Join(", ", TransactionCalls.Names)}");
        var result = await grains.GetGrain<IChainGrain>(IChainGrain.Key).ExecuteAsync(op);
        if (!result.Ok)
        {
            var problem = Problem(StatusOf(result.Code!), result.Code!, result.Message!, result.NextAllowedBlock);
            return problem;
        }
        return TypedResults.Ok(new
        {
            block = result.Block,
            result = new { netuid = result.Netuid, uid = result.Uid, amount = result.Amount },
        });
    }

    public static async Task<IResult> Preflight(HttpContext context, IGrainFactory grains)
    {
        var (parsed, error) = await ReadAsync(context, requireSignature: false);
        if (error is not null) return error;
        var failures = new List<RuleFailure>();
        if (parsed!.Signature is not null && !VerifySignature(parsed)) failures.Add(new RuleFailure("BadSignature", "the signature does not verify for the signer and payload"));
        var chainGrain = grains.GetGrain<IChainGrain>(IChainGrain.Key);
        var chain = await chainGrain.GetInfoAsync();
        if (parsed.Chain != chain.ChainId) failures.Add(new RuleFailure("WrongChain", $"the payload names chain '{parsed.Chain}'; this is '{chain.ChainId}'"));
        try
        {
            var op = TransactionCalls.Parse(parsed.Call, parsed.Args, parsed.Signer, parsed.Nonce);
            if (op is null) failures.Add(new RuleFailure("UnknownCall", $"unknown call '{parsed.Call}'"));
            else failures.AddRange(await chainGrain.PreflightAsync(op));
        }
        catch (CallFormatException e)
        {
            failures.Add(new RuleFailure("InvalidArgs", e.Message));
        }
        ulong? passesFrom = failures.Count > 0 && failures.All(f => f.PassesFromBlock is not null) ? failures.Max(f => f.PassesFromBlock) : null;
        return TypedResults.Ok(new
        {
            ok = failures.Count == 0,
            block = chain.Block,
            passesFromBlock = failures.Count == 0 ? chain.Block : passesFrom,
            failures = failures.Select(f => new { code = f.Code, message = f.Message, passesFromBlock = f.PassesFromBlock }),
        });
    }

    /// <summary>Reads and checks the body: size, shape, signer, signature (verified over the payload's bytes before parsing it), payload.</summary>
    private static async Task<(Parsed?, IResult?)> ReadAsync(HttpContext context, bool requireSignature)
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
        string signer, payload;
        string? signature;
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, Problem(400, "MalformedTransaction", "the body must be a JSON object {signer, payload, signature}"));
            signer = Str(root, "signer") ?? "";
            payload = Str(root, "payload") ?? throw new FormatException("'payload' must be a string holding the payload's JSON text");
            signature = Str(root, "signature");
            if (root.TryGetProperty("signer", out var s) && s.ValueKind != JsonValueKind.String) throw new FormatException("'signer' must be a string");
            if (root.TryGetProperty("signature", out var g) && g.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) throw new FormatException("'signature' must be a string");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (null, Problem(400, "MalformedTransaction", e.Message));
        }
        if (!Ss58.IsValid(signer)) return (null, Problem(401, "UnknownSigner", "the signer is not an SS58 address (prefix 42) with a valid checksum"));
        byte[] payloadBytes = Encoding.UTF8.GetBytes(payload);
        if (signature is null && requireSignature) return (null, Problem(401, "BadSignature", "the transaction is not signed"));
        if (signature is not null && !IsSignatureText(signature)) return (null, Problem(400, "MalformedTransaction", "'signature' must be 0x followed by 128 hex digits"));
        var partial = new Parsed(signer, payloadBytes, signature, "", 0, "", default);
        if (requireSignature && !VerifySignature(partial)) return (null, Problem(401, "BadSignature", "the signature does not verify for the signer and payload"));
        try
        {
            using var doc = JsonDocument.Parse(payloadBytes, new JsonDocumentOptions { MaxDepth = 16 });
            var p = doc.RootElement;
            if (p.ValueKind != JsonValueKind.Object) throw new FormatException("the payload must be a JSON object {chain, nonce, call, args}");
            string chain = Str(p, "chain") ?? throw new FormatException("payload.chain must be a string");
            if (!p.TryGetProperty("nonce", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetUInt64(out ulong nonce))
                throw new FormatException("payload.nonce must be a non-negative integer");
            string call = Str(p, "call") ?? throw new FormatException("payload.call must be a string");
            if (!p.TryGetProperty("args", out var args)) throw new FormatException("payload.args is required");
            return (partial with { Chain = chain, Nonce = nonce, Call = call, Args = args.Clone() }, null);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (null, Problem(400, "MalformedTransaction", e.Message));
        }
    }

    private static bool IsSignatureText(string s) =>
        s.Length == 130 && s.StartsWith("0x", StringComparison.Ordinal) && s.AsSpan(2).ToString().All(char.IsAsciiHexDigit);

    private static bool VerifySignature(Parsed p) =>
        p.Signature is not null && IsSignatureText(p.Signature) && KeyPair.Verify(p.Signer, p.PayloadBytes, Convert.FromHexString(p.Signature.AsSpan(2)));

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>HTTP status of a rejection: 409 for nonce problems, 403 for authority, 400 for every other rule.</summary>
    public static int StatusOf(string code) => code switch
    {
        "StaleNonce" or "FutureNonce" or "WrongChain" => 409,
        "NotOwner" or "HotkeyOwnedByAnother" or "FaucetDisabled" => 403,
        _ => 400,
    };

    private static IResult Problem(int status, string code, string detail, ulong? nextAllowedBlock = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (nextAllowedBlock is not null) extensions["nextAllowedBlock"] = nextAllowedBlock;
        return TypedResults.Problem(statusCode: status, title: code, detail: detail, type: code, extensions: extensions);
    }
}
