using Bittensor.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Bittensor.Grains;

/// <summary>One page of a transaction index shard as stored: at most <see cref="TransactionIndexGrain.PageSize"/> entries, oldest first.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.TransactionIndexPage")]
public sealed class TransactionIndexPage
{
    [Id(0)] public List<TransactionStatus> Entries { get; set; } = [];
}

/// <summary>
/// A shard of the transaction index: see <see cref="ITransactionIndex"/>. Stored, so <c>GET /api/transactions/{hash}</c>
/// answers across silo restarts and failovers: the shard's entries are kept in pages of <see cref="PageSize"/>, each page
/// one part of a <see cref="ChunkedStore"/> (so no Azure Table entity or property outgrows its limit, and a record
/// rewrites only the page it lands in). Retention is bounded: the newest <see cref="Pages"/> pages, about
/// <see cref="Capacity"/> transactions per shard; the oldest page leaves whole.
/// </summary>
public sealed partial class TransactionIndexGrain(ILogger<TransactionIndexGrain> logger) : StoredGrain, ITransactionIndex
{
    /// <summary>Entries per stored page.</summary>
    public const int PageSize = 128;

    /// <summary>Pages kept per shard.</summary>
    public const int Pages = 32;

    /// <summary>Transactions kept per shard (256 shards: about a million transactions in all).</summary>
    public const int Capacity = PageSize * Pages;

    /// <summary>A stored rejection's message is cut to this many characters (the code names the rule; the size stays bounded).</summary>
    public const int MaxMessage = 512;

    private readonly Dictionary<string, (long Page, int Slot)> _byHash = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, List<TransactionStatus>> _pages = [];
    private readonly HashSet<long> _dirty = [];
    private readonly HashSet<long> _dropped = [];
    private ChunkedStore _store = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = OpenStore("txindex");
        foreach (var (part, bytes) in await _store.ReadAsync())
        {
            if (!part.StartsWith('p') || !long.TryParse(part.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out long page)) continue;
            var entries = Serializer.Deserialize<TransactionIndexPage>(bytes)?.Entries ?? [];
            _pages[page] = entries;
            for (int slot = 0; slot < entries.Count; slot++) _byHash[entries[slot].Hash] = (page, slot);
        }
    }

    public Task<TransactionStatus?> GetAsync(string hash) =>
        Task.FromResult(_byHash.TryGetValue(hash, out var at) ? _pages[at.Page][at.Slot] : null);

    public async Task RecordAsync(TransactionStatus status)
    {
        if (status.Message is { Length: > MaxMessage } message) status = status with { Message = message[..MaxMessage] };
        // A later state replaces an earlier one (pending → applied); an applied transaction's resubmission changes nothing.
        if (_byHash.TryGetValue(status.Hash, out var at))
        {
            var page = _pages[at.Page];
            // One-way records may arrive out of order: a final state (applied, rejected, expired) is never replaced by pending.
            var known = page[at.Slot];
            if (known.State == TransactionStatus.Applied || known == status || (status.State == TransactionStatus.Pending && known.State != TransactionStatus.Pending)) return;
            page[at.Slot] = status;
            _dirty.Add(at.Page);
        }
        else Append(status);
        await FlushAsync();
    }

    private void Append(TransactionStatus status)
    {
        long last = _pages.Count == 0 ? 0 : _pages.Keys.Max();
        if (!_pages.TryGetValue(last, out var page) || page.Count >= PageSize) _pages[++last] = page = [];
        _byHash[status.Hash] = (last, page.Count);
        page.Add(status);
        _dirty.Add(last);
        while (_pages.Count > Pages)
        {
            long oldest = _pages.Keys.First();
            foreach (var gone in _pages[oldest]) _byHash.Remove(gone.Hash);
            _pages.Remove(oldest);
            _dirty.Remove(oldest);
            _dropped.Add(oldest);
        }
    }

    /// <summary>
    /// Stores the pages changed since the last successful write. The index is a convenience (resubmitting a transaction
    /// always answers its outcome from the signer's receipts), so a failed write is logged and retried with the next record.
    /// </summary>
    private async Task FlushAsync()
    {
        var changed = _dirty.ToDictionary(p => PartOf(p), p => Serializer.SerializeToArray(new TransactionIndexPage { Entries = _pages[p] }));
        var removed = _dropped.Select(PartOf).ToList();
        try
        {
            await _store.WriteAsync(changed, removed);
            _dirty.Clear();
            _dropped.Clear();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogWriteFailed(logger, e, this.GetPrimaryKeyString());
        }
    }

    private static string PartOf(long page) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p{page}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction index shard {Shard}: write failed; kept in memory and retried with the next record")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string shard);
}
