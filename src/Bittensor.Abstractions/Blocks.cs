using System.Collections.Immutable;
using Bittensor.Runtime;
using Orleans.Concurrency;

namespace Bittensor;

/// <summary>
/// The block log (one grain, key 0): every block's header, extrinsics with their outcomes and events, for the retained
/// window (<c>Chain:RetainBlocks</c>). Reads never wait behind the log's writes. Clients follow the chain with
/// <see cref="ReadEventsAsync"/> (a long poll from an event id: exact resume, no lost or repeated event).
/// </summary>
[Alias("Bittensor.IBlockLog")]
public interface IBlockLog : IGrainWithIntegerKey
{
    /// <summary>The key of the one block log.</summary>
    public const long Key = 0;

    /// <summary>The retained window: first and last block, first and last event id.</summary>
    [ClientCallable, Alias("GetStatus"), AlwaysInterleave] Task<BlockLogStatus> GetStatusAsync();

    /// <summary>Block <paramref name="number"/>, or null when it is not in the retained window (not produced yet, or dropped).</summary>
    [ClientCallable, Alias("GetBlock"), AlwaysInterleave] Task<BlockRecord?> GetBlockAsync(ulong number);

    /// <summary>Up to <paramref name="limit"/> retained blocks from <paramref name="from"/> on, ascending.</summary>
    [ClientCallable, Alias("GetBlocks"), AlwaysInterleave] Task<ImmutableArray<BlockRecord>> GetBlocksAsync(ulong from, int limit);

    /// <summary>
    /// Up to <paramref name="limit"/> events after id <paramref name="after"/> that pass <paramref name="filter"/>, in id
    /// order; when none is there yet, waits up to <paramref name="wait"/> for one. Continue from
    /// <see cref="EventsPage.Through"/> (the last id looked at, matching or not).
    /// </summary>
    [ClientCallable, Alias("ReadEvents"), AlwaysInterleave] Task<EventsPage> ReadEventsAsync(long after, EventFilter filter, int limit, TimeSpan wait);

    /// <summary>
    /// The live event stream for Orleans clients, as the SSE route serves it: every event after id <paramref name="after"/>
    /// that passes <paramref name="filter"/>, in id order, then each new one as the chain applies it, until the caller stops
    /// enumerating. A client that reconnects with the last id it got resumes exactly (no event lost or repeated); events
    /// dropped by retention before they were read are skipped (their ids are missing).
    /// </summary>
    [ClientCallable, Alias("StreamEvents"), AlwaysInterleave]
    IAsyncEnumerable<ChainEvent> StreamEventsAsync(long after, EventFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// One block: header (number, parent hash, hash of its changes, timestamp, its own hash once sealed), its extrinsics with
/// their outcomes, and its events. A block is open (hash null) until the next block starts: the extrinsics applied while
/// it is the chain's head belong to it. Hashes are BLAKE2b-256: <c>changesHash</c> over the JSON of its extrinsics and
/// events, <c>hash</c> over parent hash, number, timestamp and changes hash.
/// </summary>
[GenerateSerializer, Alias("Bittensor.BlockRecord")]
public sealed class BlockRecord
{
    [Id(0)] public ulong Number { get; set; }
    [Id(1)] public string ParentHash { get; set; } = BlockHashes.Zero;
    [Id(2)] public string? Hash { get; set; }
    [Id(3)] public string? ChangesHash { get; set; }
    /// <summary>When the chain produced the block (UTC); null for a block the log first saw mid-way (a chain older than the log).</summary>
    [Id(4)] public DateTime? Timestamp { get; set; }
    [Id(5)] public List<ExtrinsicRecord> Extrinsics { get; set; } = [];
    [Id(6)] public List<ChainEvent> Events { get; set; } = [];
}

/// <summary>The block log's retained window.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.BlockLogStatus")]
public sealed record BlockLogStatus(
    [property: Id(0)] ulong FirstBlock, [property: Id(1)] ulong HeadBlock, [property: Id(2)] long FirstEventId, [property: Id(3)] long LastEventId,
    [property: Id(4)] bool Empty);

/// <summary>Which events to return: any of <see cref="Kinds"/> (all when empty), in <see cref="Netuid"/>, naming <see cref="Account"/>, in <see cref="Block"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.EventFilter")]
public sealed record EventFilter
{
    [Id(0)] public ImmutableArray<string> Kinds { get; init; } = [];
    [Id(1)] public ushort? Netuid { get; init; }
    [Id(2)] public string? Account { get; init; }
    [Id(3)] public ulong? Block { get; init; }

    public bool Matches(ChainEvent e) =>
        (Kinds.IsDefaultOrEmpty || Kinds.Contains(e.Kind)) && (Netuid is null || e.Netuid == Netuid || e.DestNetuid == Netuid)
        && (Account is null || e.Involves(Account)) && (Block is null || e.Block == Block);
}

/// <summary>
/// Events read from the log. <see cref="Through"/>: the last event id looked at (continue after it); <see cref="Gap"/>:
/// events after the id asked for were dropped by retention before they were read (the page starts at <see cref="FirstEventId"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.EventsPage")]
public sealed record EventsPage(
    [property: Id(0)] ImmutableArray<ChainEvent> Events, [property: Id(1)] long Through, [property: Id(2)] long FirstEventId,
    [property: Id(3)] long LastEventId, [property: Id(4)] bool Gap);

/// <summary>Block hashes.</summary>
public static class BlockHashes
{
    /// <summary>The parent hash of the first block the log holds when nothing came before it.</summary>
    public const string Zero = "0x0000000000000000000000000000000000000000000000000000000000000000";
}
