using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Bittensor;

/// <summary>A validator's challenge to a miner: the task, a seed, a size, revealed data and a horizon.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Challenge")]
public sealed record Challenge(
    [property: Id(0)] string Task,
    [property: Id(1)] ulong Seed,
    [property: Id(2)] int Size,
    [property: Id(3)] ImmutableArray<double> Data,
    [property: Id(4)] int Horizon,
    [property: Id(5)] ushort Netuid,
    [property: Id(6)] string Validator,
    [property: Id(7)] string Signature = "",
    [property: Id(8)] string Miner = "",
    [property: Id(9)] long ExpiresUnixMs = 0)
{
    /// <summary>Largest <see cref="Size"/> a miner accepts (a matrix side, or revealed points).</summary>
    public const int MaxSize = 4096;

    /// <summary>Largest <see cref="Horizon"/> a miner accepts.</summary>
    public const int MaxHorizon = 1024;

    /// <summary>
    /// The bytes the validator signs: every field — the revealed data by its SHA-256 — the target miner and the expiry,
    /// so a challenge cannot be altered, redirected to another miner, or replayed later.
    /// </summary>
    public byte[] SigningBytes()
    {
        var data = new byte[Data.Length * sizeof(double)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(Data.AsSpan()).CopyTo(data);
        string digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data));
        return System.Text.Encoding.UTF8.GetBytes(
            $"challenge|{Task}|{Netuid}|{Seed}|{Size}|{Horizon}|{Validator}|{Miner}|{ExpiresUnixMs}|{digest}");
    }

    /// <summary>Whether the challenge is addressed to <paramref name="miner"/>, unexpired at <paramref name="nowUnixMs"/>, and within the size bounds.</summary>
    public bool IsAdmissible(string miner, long nowUnixMs) =>
        Miner == miner && nowUnixMs <= ExpiresUnixMs && Size is >= 0 and <= MaxSize && Horizon is >= 0 and <= MaxHorizon
        && Data.Length <= 4 * MaxSize && Task.Length <= 64 && Validator.Length <= 64;
}

/// <summary>A miner's answer, signed by the miner's hotkey over <see cref="SigningBytes"/> (validators score unsigned answers 0).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Answer")]
public sealed record Answer([property: Id(0)] ImmutableArray<float> Values, [property: Id(1)] string Miner, [property: Id(2)] string? Signature = null)
{
    /// <summary>
    /// The bytes a miner signs: <c>answer|&lt;miner&gt;|&lt;challenge signature&gt;|&lt;SHA-256 of the values&gt;</c>, so an
    /// answer is bound to its miner and to the one challenge it answers.
    /// </summary>
    public static byte[] SigningBytes(Challenge challenge, ImmutableArray<float> values, string miner)
    {
        string digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
        return System.Text.Encoding.UTF8.GetBytes($"answer|{miner}|{challenge.Signature}|{digest}");
    }
}

/// <summary>The outcome of a signed transaction: an HTTP-like status, the rule's code and sentence, or what it produced.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.TransactionOutcome")]
public sealed record TransactionOutcome
{
    [Id(0)] public required int Status { get; init; }
    [Id(1)] public string? Code { get; init; }
    [Id(2)] public string? Message { get; init; }
    [Id(3)] public ulong Block { get; init; }
    [Id(4)] public ulong? NextAllowedBlock { get; init; }
    [Id(5)] public ushort? Netuid { get; init; }
    [Id(6)] public ushort? Uid { get; init; }
    [Id(7)] public ulong? Amount { get; init; }
    /// <summary>The transaction fee paid (burned), rao; 0 when refused (a refused transaction pays nothing).</summary>
    [Id(8)] public ulong Fee { get; init; }

    public bool Ok => Status == 200;
}

/// <summary>A preflight: every rule a call would break now, the block from which it would pass, and the fee it would pay (rao).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.PreflightReport")]
public sealed record PreflightReport(
    [property: Id(0)] bool Ok,
    [property: Id(1)] ulong Block,
    [property: Id(2)] ulong? PassesFromBlock,
    [property: Id(3)] System.Collections.Immutable.ImmutableArray<RuleFailure> Failures,
    [property: Id(4)] ulong Fee = 0);

/// <summary>
/// Signed transactions for any client (REST or Orleans): the signature is verified over the payload's UTF-8 bytes
/// before anything is parsed, then the chain id, then the call; the chain checks the nonce and applies it atomically.
/// </summary>
[Alias("Bittensor.ITransactionsGrain"), ClientCallable]
public interface ITransactionsGrain : IGrainWithIntegerKey
{
    [Alias("Submit")] Task<TransactionOutcome> SubmitAsync(string signer, string payload, string? signature);

    [Alias("Preflight")] Task<PreflightReport> PreflightAsync(string signer, string payload, string? signature);
}

/// <summary>Where a transaction stands, by hash: <c>pending</c> (journaled, being applied), <c>applied</c>, <c>rejected</c> or <c>expired</c>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.TransactionStatus")]
public sealed record TransactionStatus
{
    public const string Pending = "pending", Applied = "applied", Rejected = "rejected", Expired = "expired";

    [Id(0)] public required string Hash { get; init; }
    [Id(1)] public required string Signer { get; init; }
    [Id(2)] public required ulong Nonce { get; init; }
    [Id(3)] public required string Call { get; init; }
    [Id(4)] public required string State { get; init; }
    /// <summary>The block it was applied in, or the block at which it was rejected.</summary>
    [Id(5)] public required ulong Block { get; init; }
    [Id(6)] public string? Code { get; init; }
    [Id(7)] public string? Message { get; init; }
    [Id(8)] public ushort? Netuid { get; init; }
    [Id(9)] public ushort? Uid { get; init; }
    [Id(10)] public ulong? Amount { get; init; }
    /// <summary>The fee an applied transaction paid, rao.</summary>
    [Id(11)] public ulong Fee { get; init; }
}

/// <summary>
/// Recent transactions by hash, for <c>GET /api/transactions/{hash}</c> (key: the hash's first two hex digits after
/// <c>0x</c>, 256 shards). Stored (it survives silo restarts), the latest <c>TransactionIndexGrain.Capacity</c> per shard:
/// an index, not a record — the outcome of an applied transaction is kept in its signer's account, and resubmitting the
/// same transaction always answers it.
/// </summary>
[Alias("Bittensor.ITransactionIndex")]
public interface ITransactionIndex : IGrainWithStringKey
{
    /// <summary>The shard that indexes <paramref name="hash"/> (<c>0x</c> + 64 hex digits).</summary>
    static string ShardOf(string hash) => hash.Substring(2, 2);

    [ClientCallable, Alias("Get"), AlwaysInterleave] Task<TransactionStatus?> GetAsync(string hash);

    [Alias("Record"), OneWay] Task RecordAsync(TransactionStatus status);
}

/// <summary>A miner's work endpoint, called by its miner grain.</summary>
[Alias("Bittensor.IMinerObserver")]
public interface IMinerObserver : IGrainObserver
{
    /// <summary>The answer, or null when the miner refuses (bad signature, no validator permit) or cannot answer.</summary>
    [Alias("Solve")] Task<Answer?> SolveAsync(Challenge challenge);
}

/// <summary>Routes validators' challenges to a miner's client (key: the miner's hotkey).</summary>
[Alias("Bittensor.IMinerGrain")]
public interface IMinerGrain : IGrainWithStringKey
{
    /// <summary>A fresh nonce for one subscription (single use, valid for a minute).</summary>
    [ClientCallable, Alias("SubscriptionNonce"), Orleans.Concurrency.AlwaysInterleave] Task<string> GetSubscriptionNonceAsync();

    /// <summary>
    /// (Re)subscribes the miner's client; subscriptions live in memory, so clients renew them every few seconds.
    /// <paramref name="proof"/> is the hotkey's signature (0x + hex) of <see cref="SubscriptionMessage"/> over a nonce from
    /// <see cref="GetSubscriptionNonceAsync"/> and this observer, so nobody can take over another miner's work, replay a
    /// proof, or use it for another client.
    /// </summary>
    [ClientCallable, Alias("Subscribe"), Orleans.Concurrency.AlwaysInterleave] Task<bool> SubscribeAsync(IMinerObserver observer, string nonce, string proof);

    /// <summary>The bytes a miner's hotkey signs to subscribe: <c>subscribe|&lt;hotkey&gt;|&lt;nonce&gt;|&lt;observer's grain id&gt;</c>.</summary>
    public static byte[] SubscriptionMessage(string hotkey, string nonce, GrainId observer) => System.Text.Encoding.UTF8.GetBytes($"subscribe|{hotkey}|{nonce}|{observer}");

    /// <summary>Sends the challenge to the miner; null if no miner is subscribed, it refuses, fails or exceeds <paramref name="timeout"/>.</summary>
    [ClientCallable, Alias("Dispatch"), Orleans.Concurrency.AlwaysInterleave] Task<Answer?> DispatchAsync(Challenge challenge, TimeSpan timeout);
}

/// <summary>One validator's stored weight row on a subnet.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.WeightRow")]
public sealed record WeightRow([property: Id(0)] ushort Uid, [property: Id(1)] string Hotkey, [property: Id(2)] System.Collections.Immutable.ImmutableArray<ushort> Uids, [property: Id(3)] System.Collections.Immutable.ImmutableArray<ushort> Weights);
