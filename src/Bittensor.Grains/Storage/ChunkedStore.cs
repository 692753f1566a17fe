using Orleans.Storage;

namespace Bittensor.Grains.Storage;

/// <summary>The head entity of a chunked state: every part, inline or as a list of chunk entities.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.Storage.StoreHead")]
public sealed class StoreHead
{
    [Id(0)] public Dictionary<string, PartRef> Parts { get; set; } = [];
    [Id(1)] public long Version { get; set; }
}

/// <summary>A part: its bytes inline (small parts) or the keys of the chunk entities that hold them, in order.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.Storage.PartRef")]
public sealed record PartRef([property: Id(0)] byte[]? Inline, [property: Id(1)] long[] Chunks, [property: Id(2)] int Length);

/// <summary>One chunk entity: at most <see cref="ChunkedStore.ChunkBytes"/> bytes of one part.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.Storage.ChunkBlob")]
public sealed class ChunkBlob
{
    [Id(0)] public byte[] Data { get; set; } = [];
}

/// <summary>
/// A grain's durable state as named parts (byte arrays) over any Orleans grain storage, such that no stored entity
/// grows past Azure Table's limits (1 MB per entity) whatever the state's size, and a write stores only the parts that
/// changed. Small parts live inline in the head entity; larger ones are split into chunk entities of at most
/// <see cref="ChunkBytes"/>.
/// <para>
/// Writes are all or nothing (shadow paging): new chunks are written under fresh keys first, then the head — the one
/// commit point, guarded by its ETag so a second activation cannot overwrite it — and only then are the chunks it no
/// longer names deleted. A failure before the head write leaves the old state whole; orphaned new chunks are deleted
/// at once when possible (otherwise they are unreferenced garbage an offline scan may remove).
/// </para>
/// </summary>
/// <param name="storage">The grain storage the entities go to.</param>
/// <param name="name">The state's name; chunk entities are named after it.</param>
/// <param name="grainId">The grain whose state this is.</param>
/// <param name="inlineLimit">Per part, the largest size kept inline in the head (default <see cref="InlinePartBytes"/>):
/// a part written with every write is cheaper inline (one entity write) than in a chunk (three).</param>
public sealed class ChunkedStore(IGrainStorage storage, string name, GrainId grainId, Func<string, int>? inlineLimit = null)
{
    /// <summary>Largest chunk entity payload.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>Parts up to this size are stored inline in the head…</summary>
    public const int InlinePartBytes = 8 * 1024;

    /// <summary>…as long as the head's inline bytes stay below this.</summary>
    public const int InlineHeadBytes = 192 * 1024;

    private const int Parallelism = 16;

    private GrainState<StoreHead> _head = new(new StoreHead());
    private readonly Dictionary<long, string?> _chunkETags = [];

    /// <summary>Whether anything was ever stored.</summary>
    public bool Exists => _head.RecordExists;

    /// <summary>Reads every part; empty when nothing is stored.</summary>
    public async Task<Dictionary<string, byte[]>> ReadAsync()
    {
        var head = new GrainState<StoreHead>(new StoreHead());
        await storage.ReadStateAsync(name, grainId, head);
        head.State ??= new StoreHead();
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var chunks = head.State.Parts.Values.SelectMany(p => p.Chunks).Distinct().ToArray();
        var blobs = new Dictionary<long, (byte[] Data, string? ETag)>();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (key, _) =>
        {
            var blob = new GrainState<ChunkBlob>(new ChunkBlob());
            await storage.ReadStateAsync(ChunkName(key), grainId, blob);
            if (!blob.RecordExists) throw new InvalidOperationException($"{name}: chunk {key:x16} named by the head is missing");
            lock (blobs) blobs[key] = (blob.State?.Data ?? [], blob.ETag);
        });
        foreach (var (part, r) in head.State.Parts)
        {
            if (r.Inline is { } inline) parts[part] = inline;
            else
            {
                var bytes = new byte[r.Length];
                int at = 0;
                foreach (long key in r.Chunks)
                {
                    var data = blobs[key].Data;
                    data.CopyTo(bytes, at);
                    at += data.Length;
                }
                if (at != r.Length) throw new InvalidOperationException($"{name}: part '{part}' has {at} bytes, the head says {r.Length}");
                parts[part] = bytes;
            }
        }
        _head = head;
        _chunkETags.Clear();
        foreach (var (key, blob) in blobs) _chunkETags[key] = blob.ETag;
        return parts;
    }

    /// <summary>Stores <paramref name="changed"/> parts and drops <paramref name="removed"/> ones, all or nothing.</summary>
    public async Task WriteAsync(IReadOnlyDictionary<string, byte[]> changed, IEnumerable<string>? removed = null)
    {
        var current = _head.State ?? new StoreHead();
        var next = new StoreHead { Parts = new(current.Parts, StringComparer.Ordinal), Version = current.Version + 1 };
        var superseded = new List<long>();
        var written = new List<(long Key, byte[] Data)>();
        foreach (string part in removed ?? [])
            if (next.Parts.Remove(part, out var gone)) superseded.AddRange(gone.Chunks);
        foreach (var (part, bytes) in changed)
        {
            if (next.Parts.TryGetValue(part, out var replaced)) superseded.AddRange(replaced.Chunks);
            next.Parts[part] = new PartRef(bytes, [], bytes.Length);
        }
        // Keep the head small: parts that are large, or that do not fit the inline budget (largest first), go to chunks.
        long inline = 0;
        foreach (var (part, r) in next.Parts.Where(kv => kv.Value.Inline is not null).OrderBy(kv => kv.Value.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList())
        {
            if (r.Length <= (inlineLimit?.Invoke(part) ?? InlinePartBytes) && inline + r.Length <= InlineHeadBytes)
            {
                inline += r.Length;
                continue;
            }
            var keys = new List<long>();
            for (int at = 0; at < r.Length || keys.Count == 0; at += ChunkBytes)
            {
                long key = NewKey();
                written.Add((key, r.Inline!.AsSpan(at, Math.Min(ChunkBytes, r.Length - at)).ToArray()));
                keys.Add(key);
            }
            next.Parts[part] = new PartRef(null, [.. keys], r.Length);
        }

        var etags = new Dictionary<long, string?>();
        try
        {
            await Parallel.ForEachAsync(written, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (chunk, _) =>
            {
                var blob = new GrainState<ChunkBlob>(new ChunkBlob { Data = chunk.Data });
                await storage.WriteStateAsync(ChunkName(chunk.Key), grainId, blob);
                lock (etags) etags[chunk.Key] = blob.ETag;
            });
            var head = new GrainState<StoreHead>(next) { ETag = _head.ETag, RecordExists = _head.RecordExists };
            await storage.WriteStateAsync(name, grainId, head);
            _head = head;
        }
        catch
        {
            await DeleteAsync(etags); // orphans of the failed write, best effort
            throw;
        }
        foreach (var (key, etag) in etags) _chunkETags[key] = etag;
        var old = superseded.Distinct().Where(_chunkETags.ContainsKey).ToDictionary(k => k, k => _chunkETags[k]);
        foreach (long key in old.Keys) _chunkETags.Remove(key);
        await DeleteAsync(old);
    }

    /// <summary>Deletes every entity of this state.</summary>
    public async Task ClearAsync()
    {
        if (!_head.RecordExists) return;
        var chunks = new Dictionary<long, string?>(_chunkETags);
        await storage.ClearStateAsync(name, grainId, _head);
        _head = new GrainState<StoreHead>(new StoreHead());
        _chunkETags.Clear();
        await DeleteAsync(chunks);
    }

    private async Task DeleteAsync(IReadOnlyDictionary<long, string?> chunks)
    {
        try
        {
            await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (chunk, _) =>
            {
                var blob = new GrainState<ChunkBlob>(new ChunkBlob()) { ETag = chunk.Value, RecordExists = true };
                await storage.ClearStateAsync(ChunkName(chunk.Key), grainId, blob);
            });
        }
        catch (Exception)
        {
            // Unreferenced chunks are garbage, never state: leaving one behind loses nothing.
        }
    }

    private string ChunkName(long key) => $"{name}.c{key:x16}";

    private static long NewKey() => Random.Shared.NextInt64(long.MinValue, long.MaxValue);
}
