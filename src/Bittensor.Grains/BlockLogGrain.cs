using System.Collections.Immutable;
using System.Text.Json;
using Bittensor.Grains.Storage;
using Bittensor.Keys;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>
/// The block log: blocks with their extrinsics and events, appended by the chain from its journal (each batch once, in
/// order) and kept for <see cref="ChainOptions.RetainBlocks"/> blocks. Stored as pages of at most
/// <see cref="ChainOptions.BlockLogPageBlocks"/> blocks (and about 256 KiB) in a <see cref="ChunkedStore"/>: an append
/// rewrites the head and the open page only, and dropping old blocks removes whole pages. The retained window is held in
/// memory, so reads are lookups. An append that cannot be stored drops this activation (the chain appends again from its
/// journal; ids and hashes come out the same, as they depend only on what is journaled).
/// </summary>
public sealed class BlockLogGrain(IOptions<ChainOptions> options) : StoredGrain, IBlockLog, IBlockLogLedger
{
    private const string HeadPart = "head";
    /// <summary>A page closes when its stored form passes this (one chunk entity).</summary>
    private const int PageBytes = ChunkedStore.ChunkBytes;
    /// <summary>Most events one read looks at (a filter that matches little does not scan the whole window in one call).</summary>
    private const int ScanLimit = 50_000;

    private ChunkedStore _store = null!;
    private LogHead _head = new();
    private readonly Dictionary<long, List<BlockRecord>> _pages = [];
    private readonly List<BlockRecord> _blocks = [];
    private readonly List<ChainEvent> _events = [];
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = OpenStore("blocklog");
        var parts = await _store.ReadAsync();
        if (parts.TryGetValue(HeadPart, out var head)) _head = Serializer.Deserialize<LogHead>(head) ?? new LogHead();
        foreach (var page in _head.Pages)
        {
            var blocks = (parts.TryGetValue(PageName(page.Id), out var bytes) ? Serializer.Deserialize<List<BlockRecord>>(bytes) : null) ?? [];
            _pages[page.Id] = blocks;
            _blocks.AddRange(blocks);
            foreach (var b in blocks) _events.AddRange(b.Events);
        }
    }

    // ---- writes ----

    public async Task AppendAsync(ImmutableArray<LogEntry> entries)
    {
        EnsureUsable();
        var dirty = new HashSet<long>();
        bool changed = false;
        foreach (var (seq, c) in entries)
        {
            if (seq <= _head.LastSeq) continue;
            Append(c, dirty);
            _head.LastSeq = seq;
            changed = true;
        }
        if (!changed) return;
        var removed = Trim();
        dirty.ExceptWith(removed);
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (long id in dirty)
        {
            var bytes = Serializer.SerializeToArray(_pages[id]);
            parts[PageName(id)] = bytes;
            if (id == _head.Pages[^1].Id && bytes.Length >= PageBytes) _head.OpenPageFull = true;
        }
        parts[HeadPart] = Serializer.SerializeToArray(_head);
        try
        {
            await _store.WriteAsync(parts, removed.Select(PageName));
        }
        catch
        {
            Break(); // memory is ahead of storage: reload, and let the chain append again
            throw;
        }
        var appended = _appended;
        _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        appended.TrySetResult();
    }

    private void Append(LogCommand c, HashSet<long> dirty)
    {
        var open = _blocks.Count > 0 && _blocks[^1].Hash is null ? _blocks[^1] : null;
        if (c.Opened is not null || open is null || open.Number != c.Block)
        {
            if (open is not null)
            {
                AddRefused(open, c.Refused); // refused while the previous block was the head
                Seal(open);
                dirty.Add(_head.Pages[^1].Id);
            }
            open = Open(c.Block, c.Opened, open?.Hash ?? (_blocks.Count > 0 ? _blocks[^1].Hash : null));
        }
        else AddRefused(open, c.Refused);
        dirty.Add(_head.Pages[^1].Id);
        int? index = null;
        if (c.Extrinsic is { } x)
        {
            index = open.Extrinsics.Count;
            open.Extrinsics.Add(x with { Index = index.Value });
        }
        for (int i = 0; i < c.Events.Length; i++)
        {
            var e = c.Events[i] with { Id = c.FirstEventId + i, Block = open.Number, Extrinsic = index };
            open.Events.Add(e);
            _events.Add(e);
        }
        if (c.Events.Length > 0) _head.LastEventId = c.FirstEventId + c.Events.Length - 1;
    }

    private static void AddRefused(BlockRecord block, ImmutableArray<ExtrinsicRecord> refused)
    {
        foreach (var x in refused.IsDefault ? [] : refused) block.Extrinsics.Add(x with { Index = block.Extrinsics.Count });
    }

    private BlockRecord Open(ulong number, DateTime? timestamp, string? parent)
    {
        var block = new BlockRecord { Number = number, Timestamp = timestamp, ParentHash = parent ?? BlockHashes.Zero };
        var page = _head.Pages.Count > 0 ? _head.Pages[^1] : null;
        if (page is null || _head.OpenPageFull || _pages[page.Id].Count >= options.Value.BlockLogPageBlocks)
        {
            page = new PageRef(_head.NextPageId++, number);
            _head.Pages.Add(page);
            _head.OpenPageFull = false;
            _pages[page.Id] = [];
        }
        _pages[page.Id].Add(block);
        _blocks.Add(block);
        return block;
    }

    /// <summary>Fixes the block's hashes: its changes (extrinsics and events as JSON), then the header.</summary>
    private static void Seal(BlockRecord block)
    {
        byte[] changes = JsonSerializer.SerializeToUtf8Bytes(new { block.Extrinsics, block.Events }, HashJson);
        block.ChangesHash = Hashes.Blake2b256Hex(changes);
        string header = FormattableString.Invariant($"{block.ParentHash}|{block.Number}|{block.Timestamp?.Ticks ?? 0}|{block.ChangesHash}");
        block.Hash = Hashes.Blake2b256Hex(System.Text.Encoding.UTF8.GetBytes(header));
    }

    private static readonly JsonSerializerOptions HashJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Drops the oldest pages whose every block is older than the retained window; returns their ids.</summary>
    private List<long> Trim()
    {
        var removed = new List<long>();
        if (_blocks.Count == 0) return removed;
        ulong head = _blocks[^1].Number, retain = options.Value.RetainBlocks;
        while (_head.Pages.Count > 1 && _head.Pages[1].FirstBlock + retain <= head + 1)
        {
            var page = _head.Pages[0];
            _head.Pages.RemoveAt(0);
            var blocks = _pages[page.Id];
            _pages.Remove(page.Id);
            _blocks.RemoveRange(0, blocks.Count);
            int events = blocks.Sum(b => b.Events.Count);
            _events.RemoveRange(0, events);
            removed.Add(page.Id);
        }
        return removed;
    }

    // ---- reads ----

    public Task<BlockLogStatus> GetStatusAsync() => Task.FromResult(Status());

    private BlockLogStatus Status() => _blocks.Count == 0
        ? new BlockLogStatus(0, 0, _head.LastEventId + 1, _head.LastEventId, Empty: true)
        : new BlockLogStatus(_blocks[0].Number, _blocks[^1].Number, _events.Count > 0 ? _events[0].Id : _head.LastEventId + 1, _head.LastEventId, Empty: false);

    public Task<BlockRecord?> GetBlockAsync(ulong number)
    {
        int i = IndexOfBlock(number);
        return Task.FromResult(i >= 0 ? _blocks[i] : null);
    }

    public Task<ImmutableArray<BlockRecord>> GetBlocksAsync(ulong from, int limit)
    {
        int i = IndexOfBlock(from);
        if (i < 0 && _blocks.Count > 0 && from < _blocks[0].Number) i = 0;
        if (i < 0 || limit <= 0) return Task.FromResult(ImmutableArray<BlockRecord>.Empty);
        return Task.FromResult(_blocks.Skip(i).Take(limit).ToImmutableArray());
    }

    private int IndexOfBlock(ulong number)
    {
        int lo = 0, hi = _blocks.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            ulong n = _blocks[mid].Number;
            if (n == number) return mid;
            if (n < number) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    public async Task<EventsPage> ReadEventsAsync(long after, EventFilter filter, int limit, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(filter);
        limit = Math.Clamp(limit, 1, 10_000);
        var deadline = DateTime.UtcNow + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait);
        while (true)
        {
            var appended = _appended.Task;
            var page = Read(after, filter, limit);
            if (page.Events.Length > 0 || page.Gap) return page;
            after = page.Through;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return page;
            await Task.WhenAny(appended, Task.Delay(left));
        }
    }

    public async IAsyncEnumerable<ChainEvent> StreamEventsAsync(long after, EventFilter filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await ReadEventsAsync(after, filter, StreamBatch, StreamWait);
            foreach (var e in page.Events) yield return e;
            after = page.Through;
        }
    }

    /// <summary>Events a stream reads from the window at a time.</summary>
    private const int StreamBatch = 500;
    /// <summary>How long a stream's read waits for a new event before it looks at its cancellation again.</summary>
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(5);

    private EventsPage Read(long after, EventFilter filter, int limit)
    {
        var status = Status();
        bool gap = after + 1 < status.FirstEventId && after < status.LastEventId;
        var found = ImmutableArray.CreateBuilder<ChainEvent>();
        long through = Math.Max(after, status.FirstEventId - 1);
        if (filter.Block is ulong number)
        {
            // One block: its events only.
            int b = IndexOfBlock(number);
            var events = b < 0 ? [] : _blocks[b].Events;
            foreach (var e in events)
            {
                if (e.Id <= after || !filter.Matches(e)) continue;
                if (found.Count == limit) return new(found.ToImmutable(), through, status.FirstEventId, status.LastEventId, false);
                found.Add(e);
                through = e.Id;
            }
            if (events.Count > 0) through = Math.Max(through, events[^1].Id);
            return new(found.ToImmutable(), through, status.FirstEventId, status.LastEventId, false);
        }
        int start = FirstIndexAfter(after);
        for (int i = start, scanned = 0; i < _events.Count && scanned < ScanLimit; i++, scanned++)
        {
            var e = _events[i];
            if (filter.Matches(e))
            {
                if (found.Count == limit) break;
                found.Add(e);
            }
            through = e.Id;
        }
        return new(found.ToImmutable(), through, status.FirstEventId, status.LastEventId, gap);
    }

    private int FirstIndexAfter(long id)
    {
        int lo = 0, hi = _events.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_events[mid].Id <= id) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static string PageName(long id) => $"p{id}";
}

/// <summary>The block log's own state: the last batch appended, the last event id, its pages.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.LogHead")]
internal sealed class LogHead
{
    [Id(0)] public long LastSeq { get; set; }
    [Id(1)] public long LastEventId { get; set; }
    [Id(2)] public List<PageRef> Pages { get; set; } = [];
    [Id(3)] public long NextPageId { get; set; }
    /// <summary>The newest page reached its size limit: the next block opens a new page.</summary>
    [Id(4)] public bool OpenPageFull { get; set; }
}

/// <summary>A page of the block log: its id and its first block.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.PageRef")]
internal sealed record PageRef([property: Id(0)] long Id, [property: Id(1)] ulong FirstBlock);
