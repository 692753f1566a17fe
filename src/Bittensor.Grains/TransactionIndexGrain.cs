using Orleans.Concurrency;

namespace Bittensor.Grains;

/// <summary>A shard of the transaction index: see <see cref="ITransactionIndex"/>. The oldest entry leaves first.</summary>
public sealed class TransactionIndexGrain : Grain, ITransactionIndex
{
    /// <summary>Transactions kept per shard (256 shards: about a million transactions in all).</summary>
    public const int Capacity = 4096;

    private readonly Dictionary<string, TransactionStatus> _byHash = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public Task<TransactionStatus?> GetAsync(string hash) => Task.FromResult(_byHash.GetValueOrDefault(hash));

    public Task RecordAsync(TransactionStatus status)
    {
        // A later state replaces an earlier one (pending → applied); an applied transaction's resubmission changes nothing.
        if (_byHash.TryGetValue(status.Hash, out var known))
        {
            if (known.State != TransactionStatus.Applied) _byHash[status.Hash] = status;
            return Task.CompletedTask;
        }
        _byHash[status.Hash] = status;
        _order.Enqueue(status.Hash);
        while (_order.Count > Capacity) _byHash.Remove(_order.Dequeue());
        return Task.CompletedTask;
    }
}
