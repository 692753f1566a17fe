using System.Text;
using System.Text.Json;
using Bittensor.Keys;
using Bittensor.Runtime.Extrinsics;
using Orleans.Concurrency;

namespace Bittensor.Grains;

/// <summary>Verifies and dispatches signed transactions; a stateless worker, so verification spreads over every silo.</summary>
[StatelessWorker]
public sealed class TransactionsGrain : Grain, ITransactionsGrain
{
    private sealed record Parsed(string Chain, ulong Nonce, string Call, JsonElement Args);

    private IChainGrain Chain => GrainFactory.GetGrain<IChainGrain>(IChainGrain.Key);

    public async Task<TransactionOutcome> SubmitAsync(string signer, string payload, string? signature)
    {
        if (!Ss58.IsValid(signer)) return Fail(401, "UnknownSigner", "the signer is not an SS58 address (prefix 42) with a valid checksum");
        byte[] bytes = Encoding.UTF8.GetBytes(payload ?? "");
        if (signature is null) return Fail(401, "BadSignature", "the transaction is not signed");
        if (!IsSignatureText(signature)) return Fail(400, "MalformedTransaction", "'signature' must be 0x followed by 128 hex digits");
        if (!KeyPair.Verify(signer, bytes, Convert.FromHexString(signature.AsSpan(2)))) return Fail(401, "BadSignature", "the signature does not verify for the signer and payload");
        var (parsed, error) = ParsePayload(bytes);
        if (parsed is null) return Fail(400, "MalformedTransaction", error!);
        var info = await Chain.GetInfoAsync();
        if (parsed.Chain != info.ChainId) return Fail(409, "WrongChain", $"the payload names chain '{parsed.Chain}'; this is '{info.ChainId}'");
        Operation? op;
        try
        {
            op = Calls.Parse(parsed.Call, parsed.Args, signer, parsed.Nonce);
        }
        catch (CallFormatException e)
        {
            return Fail(400, "InvalidArgs", e.Message);
        }
        if (op is null) return Fail(400, "UnknownCall", $"unknown call '{parsed.Call}'; calls: {string.Join(", ", Calls.Names)}");
        // Journaled, then applied while the chain goes on with other callers; answered once applied (read your writes).
        var (result, seq) = await Chain.JournalAsync(op);
        if (seq > 0) await Chain.WaitAppliedAsync(seq);
        if (!result.Ok) return Fail(StatusOf(result.Code!), result.Code!, result.Message!, result.NextAllowedBlock, result.Block);
        return new TransactionOutcome { Status = 200, Block = result.Block, Netuid = result.Netuid, Uid = result.Uid, Amount = result.Amount };
    }

    public async Task<PreflightReport> PreflightAsync(string signer, string payload, string? signature)
    {
        var failures = new List<RuleFailure>();
        var info = await Chain.GetInfoAsync();
        if (!Ss58.IsValid(signer)) return Report([new RuleFailure("UnknownSigner", "the signer is not an SS58 address (prefix 42)")], info.Block);
        byte[] bytes = Encoding.UTF8.GetBytes(payload ?? "");
        if (signature is not null && (!IsSignatureText(signature) || !KeyPair.Verify(signer, bytes, Convert.FromHexString(signature.AsSpan(2)))))
            failures.Add(new RuleFailure("BadSignature", "the signature does not verify for the signer and payload"));
        var (parsed, error) = ParsePayload(bytes);
        if (parsed is null) return Report([.. failures, new RuleFailure("MalformedTransaction", error!)], info.Block);
        if (parsed.Chain != info.ChainId) failures.Add(new RuleFailure("WrongChain", $"the payload names chain '{parsed.Chain}'; this is '{info.ChainId}'"));
        try
        {
            var op = Calls.Parse(parsed.Call, parsed.Args, signer, parsed.Nonce);
            if (op is null) failures.Add(new RuleFailure("UnknownCall", $"unknown call '{parsed.Call}'"));
            else failures.AddRange(await Chain.PreflightAsync(op));
        }
        catch (CallFormatException e)
        {
            failures.Add(new RuleFailure("InvalidArgs", e.Message));
        }
        return Report(failures, info.Block);
    }

    private static PreflightReport Report(List<RuleFailure> failures, ulong block)
    {
        ulong? passesFrom = failures.Count == 0 ? block
            : failures.All(f => f.PassesFromBlock is not null) ? failures.Max(f => f.PassesFromBlock) : null;
        return new PreflightReport(failures.Count == 0, block, passesFrom, [.. failures]);
    }

    private static (Parsed?, string?) ParsePayload(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            var p = doc.RootElement;
            if (p.ValueKind != JsonValueKind.Object) return (null, "the payload must be a JSON object {chain, nonce, call, args}");
            if (!p.TryGetProperty("chain", out var chain) || CallArgs.Text(chain) is not { } chainId) return (null, "payload.chain must be a string");
            if (!p.TryGetProperty("nonce", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetUInt64(out ulong nonce))
                return (null, "payload.nonce must be a non-negative integer");
            if (!p.TryGetProperty("call", out var call) || CallArgs.Text(call) is not { } callName) return (null, "payload.call must be a string");
            if (!p.TryGetProperty("args", out var args)) return (null, "payload.args is required");
            foreach (var field in p.EnumerateObject())
                if (field.Name is not ("chain" or "nonce" or "call" or "args")) return (null, $"payload.{field.Name} is not a payload field (chain, nonce, call, args)");
            return (new Parsed(chainId, nonce, callName, args.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    internal static bool IsSignatureText(string s) =>
        s.Length == 130 && s.StartsWith("0x", StringComparison.Ordinal) && s.AsSpan(2).ToString().All(char.IsAsciiHexDigit);

    /// <summary>Status of a rejection (one table for every client: <see cref="Codes.HttpStatus"/>).</summary>
    public static int StatusOf(string code) => Codes.HttpStatus(code);

    private static TransactionOutcome Fail(int status, string code, string message, ulong? next = null, ulong block = 0) =>
        new() { Status = status, Code = code, Message = message, NextAllowedBlock = next, Block = block };
}
