using System.Collections.Immutable;

namespace Bittensor;

/// <summary>A state-changing call (an extrinsic), executed atomically by the chain grain in submission order.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Operation")]
public abstract record Operation
{
    /// <summary>The key that authorizes the call (coldkey or hotkey as the call requires).</summary>
    [Id(0)] public required string Signer { get; init; }

    /// <summary>
    /// For signed transactions: the signer's next nonce. The chain rejects any other value (StaleNonce / FutureNonce)
    /// and consumes the nonce only when the operation is applied.
    /// </summary>
    [Id(1)] public ulong? Nonce { get; init; }

    /// <summary>
    /// For signed transactions: the transaction's hash (<c>SignedTransaction.HashOf</c>), kept in the signer's receipt so
    /// that an exact resubmission is answered with the original outcome instead of being applied twice.
    /// </summary>
    [Id(2)] public string? Hash { get; init; }

    /// <summary>For signed transactions: the last block in which the transaction may be applied (its mortality).</summary>
    [Id(3)] public ulong? ValidUntil { get; init; }
}

/// <summary>One rule a call would break now, and the block from which it would pass when that is known.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RuleFailure")]
public sealed record RuleFailure([property: Id(0)] string Code, [property: Id(1)] string Message, [property: Id(2)] ulong? PassesFromBlock = null);

/// <summary>
/// The outcome of an operation: applied (with the block and what it produced) or rejected with a stable
/// machine-readable <see cref="Code"/> naming the rule and a sentence. A rejected operation changed nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.OpResult")]
public sealed record OpResult
{
    [Id(0)] public bool Ok { get; init; }
    [Id(1)] public string? Code { get; init; }
    [Id(2)] public string? Message { get; init; }
    [Id(3)] public ulong Block { get; init; }
    [Id(4)] public ulong? NextAllowedBlock { get; init; }
    [Id(5)] public ushort? Netuid { get; init; }
    [Id(6)] public ushort? Uid { get; init; }
    [Id(7)] public ulong? Amount { get; init; }

    /// <summary>True when this is the stored outcome of an earlier, identical transaction (nothing was applied again).</summary>
    [Id(8)] public bool Resubmitted { get; init; }

    /// <summary>The transaction fee the signer paid (burned), rao; 0 for a call that pays none or with fees off.</summary>
    [Id(9)] public ulong Fee { get; init; }

    public static OpResult Fail(string code, string message, ulong block, ulong? nextAllowed = null) =>
        new() { Ok = false, Code = code, Message = message, Block = block, NextAllowedBlock = nextAllowed };
}

/// <summary>An operation's outcome and, when it was journaled, its batch's sequence number (0 when nothing was).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.JournaledOp")]
public sealed record JournaledOp([property: Id(0)] OpResult Result, [property: Id(1)] long Seq);
