using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>
/// What one journaled batch adds to the block log: its events (ids <see cref="FirstEventId"/>, +1, …), the extrinsic it
/// applied, refused extrinsics seen since the last batch, and — for a block step or genesis — the new block it opens with
/// its timestamp. Journaled with the batch and applied once by sequence number, like every other command.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.LogCommand")]
public sealed record LogCommand : GrainCommand
{
    [Id(0)] public ulong Block { get; init; }

    [Id(1)] public long FirstEventId { get; init; }

    [Id(2)] public ImmutableArray<ChainEvent> Events { get; init; } = [];

    [Id(3)] public ExtrinsicRecord? Extrinsic { get; init; }

    /// <summary>Set when the batch opens <see cref="Block"/> (a block step, or genesis for block 0): the block's timestamp.</summary>
    [Id(4)] public DateTime? Opened { get; init; }

    /// <summary>Extrinsics refused since the previous batch (they belong to the block open before this batch).</summary>
    [Id(5)] public ImmutableArray<ExtrinsicRecord> Refused { get; init; } = [];
}
