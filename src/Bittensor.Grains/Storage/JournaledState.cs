using Orleans.Serialization;

namespace Bittensor.Grains.Storage;

/// <summary>
/// The chain's durable state as parts of a <see cref="ChunkedStore"/>: the state without its journal in one part
/// ("state", kept inline in the head however busy the chain is), and each journaled batch in a part of its own
/// ("j{seq}"), written once when it is journaled and dropped once it is applied. A block's write therefore
/// serializes the small chain state and its own batch — not every batch still being applied (an epoch landing's
/// hundreds of stake changes would otherwise be written again with every block until they are in) — and, on
/// Azure Tables, is one entity write.
/// </summary>
public sealed class JournaledState(ChunkedStore store, Serializer serializer)
{
    private const string StatePart = "state";
    private const string BatchPrefix = "j";

    /// <summary>The journal's batches that storage holds.</summary>
    private readonly HashSet<long> _stored = [];

    public ChainState State { get; private set; } = new();

    public async Task ReadAsync()
    {
        var parts = await store.ReadAsync();
        var state = parts.TryGetValue(StatePart, out var bytes) ? serializer.Deserialize<ChainState>(bytes) ?? new ChainState() : new ChainState();
        var batches = parts.Where(kv => kv.Key.StartsWith(BatchPrefix, StringComparison.Ordinal))
            .Select(kv => serializer.Deserialize<Batch>(kv.Value) ?? throw new InvalidOperationException($"chain: journal part '{kv.Key}' is empty"));
        // A state stored before batches had parts of their own carries its journal inline.
        state.Journal = [.. state.Journal.Concat(batches).DistinctBy(b => b.Seq).OrderBy(b => b.Seq)];
        _stored.Clear();
        foreach (var b in state.Journal) _stored.Add(b.Seq);
        State = state;
    }

    /// <summary>Stores <paramref name="next"/>: its state, the batches of its journal not yet stored; drops the parts of batches it no longer journals.</summary>
    public async Task WriteAsync(ChainState next)
    {
        var journal = next.Journal;
        var changed = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        next.Journal = [];
        try
        {
            changed[StatePart] = serializer.SerializeToArray(next);
        }
        finally
        {
            next.Journal = journal;
        }
        foreach (var batch in journal.Where(b => !_stored.Contains(b.Seq))) changed[PartOf(batch.Seq)] = serializer.SerializeToArray(batch);
        var keep = journal.Select(b => b.Seq).ToHashSet();
        var removed = _stored.Where(seq => !keep.Contains(seq)).ToList();
        await store.WriteAsync(changed, removed.Select(PartOf));
        foreach (long seq in removed) _stored.Remove(seq);
        foreach (var batch in journal) _stored.Add(batch.Seq);
        State = next;
    }

    /// <summary>Parts that stay inline in the head at any size up to this (the chain state: written with every block).</summary>
    public static int InlineLimit(string part) => part == StatePart ? 64 * 1024 : ChunkedStore.InlinePartBytes;

    private static string PartOf(long seq) => $"{BatchPrefix}{seq:x16}";
}
