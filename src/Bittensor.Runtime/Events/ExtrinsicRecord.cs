namespace Bittensor.Runtime;

/// <summary>
/// An extrinsic as its block records it: the transaction's hash, signer and call, and its outcome — applied, or refused
/// with the rule's code (a refused extrinsic changed nothing). <see cref="Index"/> is its position in the block.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ExtrinsicRecord")]
public sealed record ExtrinsicRecord
{
    [Id(0)] public int Index { get; init; }

    /// <summary>The signed transaction's hash (<c>0x</c> + 64 hex digits); null for an operation submitted without one (silo-internal tools).</summary>
    [Id(1)] public string? Hash { get; init; }

    [Id(2)] public required string Signer { get; init; }

    [Id(3)] public required string Call { get; init; }

    [Id(4)] public bool Ok { get; init; }

    /// <summary>The rule a refused extrinsic broke (<see cref="Codes"/>).</summary>
    [Id(5)] public string? Code { get; init; }
}
