using System.Text;
using System.Text.Json;
using Bittensor.Keys;
using Bittensor.Runtime.Extrinsics;
using Orleans.Concurrency;

namespace Bittensor.Grains;

/// <summary>
/// Verifies and dispatches signed transactions; a stateless worker, so verification spreads over every silo, and
/// reentrant (it keeps no state): a submission waiting for its applies does not hold the ones behind it.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TransactionsGrain : Grain, ITransactionsGrain
{
    private sealed record Parsed(string Chain, string Genesis, ulong Nonce, ulong ValidUntil, string Call, JsonElement Args);

    /// <summary>How long a submission keeps resubmitting itself while the chain fails over before it answers 503.</summary>
    private static readonly TimeSpan FailoverBudget = TimeSpan.FromSeconds(10);

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
        if (WrongChain(parsed, info) is { } wrong) return Fail(409, wrong.Code, wrong.Message);
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
        string hash = SignedTransaction.HashOf(signer, bytes);
        op = op with { Hash = hash, ValidUntil = parsed.ValidUntil };
        var result = await ExecuteAsync(op, (state, outcome) => Index(state, outcome, op, parsed.Call));
        if (!result.Ok) return Fail(StatusOf(result.Code!), result.Code!, result.Message!, result.NextAllowedBlock, result.Block);
        return new TransactionOutcome { Status = 200, Block = result.Block, Netuid = result.Netuid, Uid = result.Uid, Amount = result.Amount, Fee = result.Fee };
    }

    /// <summary>
    /// Journals the operation, then answers once it is applied (read your writes) while the chain goes on with other
    /// callers. When the chain's silo fails over or stops mid-call, the same transaction is submitted again: if the first
    /// attempt was journaled, the chain answers with its receipt (the original outcome) and applies nothing twice; so a
    /// graceful stop leaves no client in doubt, and a crash does so only past <see cref="FailoverBudget"/>.
    /// </summary>
    private async Task<OpResult> ExecuteAsync(Operation op, Action<string, OpResult> index)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var (result, seq) = await Chain.JournalAsync(op);
                if (seq > 0)
                {
                    if (!result.Resubmitted) index(TransactionStatus.Pending, result);
                    await Chain.WaitAppliedAsync(seq);
                }
                if (result.Code != Codes.StorageUnavailable)
                    index(result.Ok ? TransactionStatus.Applied : result.Code == Codes.TransactionExpired ? TransactionStatus.Expired : TransactionStatus.Rejected, result);
                return result;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && started.Elapsed < FailoverBudget)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)));
            }
        }
    }

    /// <summary>Records where the transaction stands in its shard of the index (one-way: the answer does not wait for it).</summary>
    private void Index(string state, OpResult result, Operation op, string call)
    {
        bool failed = state is TransactionStatus.Rejected or TransactionStatus.Expired;
        _ = GrainFactory.GetGrain<ITransactionIndex>(ITransactionIndex.ShardOf(op.Hash!)).RecordAsync(new TransactionStatus
        {
            Hash = op.Hash!, Signer = op.Signer, Nonce = op.Nonce ?? 0, Call = call, State = state, Block = result.Block,
            Code = failed ? result.Code : null, Message = failed ? result.Message : null, Netuid = result.Netuid, Uid = result.Uid, Amount = result.Amount,
            Fee = result.Ok ? result.Fee : 0,
        });
    }

    /// <summary>The payload's chain id and genesis hash against this chain's.</summary>
    private static RuleFailure? WrongChain(Parsed parsed, ChainInfo info) =>
        parsed.Chain != info.ChainId ? new RuleFailure("WrongChain", $"the payload names chain '{parsed.Chain}'; this is '{info.ChainId}'")
        : !string.Equals(parsed.Genesis, info.GenesisHash, StringComparison.OrdinalIgnoreCase)
            ? new RuleFailure("WrongChain", $"the payload names genesis {parsed.Genesis}; this chain's genesis is {info.GenesisHash} (GET /api/chain: genesisHash)")
            : null;

    public async Task<PreflightReport> PreflightAsync(string signer, string payload, string? signature)
    {
        var failures = new List<RuleFailure>();
        var info = await Chain.GetInfoAsync();
        ulong fee = 0;
        if (!Ss58.IsValid(signer)) return Report([new RuleFailure("UnknownSigner", "the signer is not an SS58 address (prefix 42)")], info.Block);
        byte[] bytes = Encoding.UTF8.GetBytes(payload ?? "");
        if (signature is not null && (!IsSignatureText(signature) || !KeyPair.Verify(signer, bytes, Convert.FromHexString(signature.AsSpan(2)))))
            failures.Add(new RuleFailure("BadSignature", "the signature does not verify for the signer and payload"));
        var (parsed, error) = ParsePayload(bytes);
        if (parsed is null) return Report([.. failures, new RuleFailure("MalformedTransaction", error!)], info.Block);
        if (WrongChain(parsed, info) is { } wrong) failures.Add(wrong);
        try
        {
            var op = Calls.Parse(parsed.Call, parsed.Args, signer, parsed.Nonce);
            if (op is null) failures.Add(new RuleFailure("UnknownCall", $"unknown call '{parsed.Call}'"));
            else
            {
                fee = Fees.Of(op, info.WeightFee, info.Sudo);
                failures.AddRange(await Chain.PreflightAsync(op with { ValidUntil = parsed.ValidUntil }));
            }
        }
        catch (CallFormatException e)
        {
            failures.Add(new RuleFailure("InvalidArgs", e.Message));
        }
        return Report(failures, info.Block, fee);
    }

    private static PreflightReport Report(List<RuleFailure> failures, ulong block, ulong fee = 0)
    {
        ulong? passesFrom = failures.Count == 0 ? block
            : failures.All(f => f.PassesFromBlock is not null) ? failures.Max(f => f.PassesFromBlock) : null;
        return new PreflightReport(failures.Count == 0, block, passesFrom, [.. failures], fee);
    }

    private static (Parsed?, string?) ParsePayload(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            var p = doc.RootElement;
            if (p.ValueKind != JsonValueKind.Object) return (null, $"the payload must be a JSON object {{{PayloadFields}}}");
            foreach (var field in p.EnumerateObject())
                if (field.Name is not ("chain" or "genesis" or "nonce" or "valid_until" or "call" or "args"))
                    return (null, $"payload.{field.Name} is not a payload field ({PayloadFields})");
            if (!p.TryGetProperty("chain", out var chain) || CallArgs.Text(chain) is not { } chainId) return (null, "payload.chain must be a string");
            if (!p.TryGetProperty("genesis", out var genesis) || CallArgs.Text(genesis) is not { } genesisHash)
                return (null, "payload.genesis must be a string: the chain's genesis hash (GET /api/chain: genesisHash)");
            if (!p.TryGetProperty("nonce", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetUInt64(out ulong nonce))
                return (null, "payload.nonce must be an integer from 0 to 2^64-1");
            if (!p.TryGetProperty("valid_until", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetUInt64(out ulong validUntil))
                return (null, "payload.valid_until must be an integer from 0 to 2^64-1: the last block in which the transaction may be applied");
            if (!p.TryGetProperty("call", out var call) || CallArgs.Text(call) is not { } callName) return (null, "payload.call must be a string");
            if (!p.TryGetProperty("args", out var args)) return (null, "payload.args is required");
            return (new Parsed(chainId, genesisHash, nonce, validUntil, callName, args.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    private const string PayloadFields = "chain, genesis, nonce, valid_until, call, args";

    internal static bool IsSignatureText(string s) => Hashes.IsHex(s, 128);

    /// <summary>Status of a rejection (one table for every client: <see cref="Codes.HttpStatus"/>).</summary>
    public static int StatusOf(string code) => Codes.HttpStatus(code);

    private static TransactionOutcome Fail(int status, string code, string message, ulong? next = null, ulong block = 0) =>
        new() { Status = status, Code = code, Message = message, NextAllowedBlock = next, Block = block };
}
