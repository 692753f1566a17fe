namespace Bittensor.Cli.Commands;

/// <summary>
/// The latest block the benchmark has seen (from <c>/api/chain</c> reads and transaction answers), for waits without
/// polling: a wait is a task that the observation of its block completes.
/// </summary>
internal sealed class ChainClock
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, ulong> _waiters = new();
    private ulong _block;

    public ulong Block
    {
        get
        {
            lock (_lock) return _block;
        }
    }

    public void Observe(ulong block)
    {
        List<TaskCompletionSource>? due = null;
        lock (_lock)
        {
            if (block <= _block) return;
            _block = block;
            while (_waiters.TryPeek(out _, out ulong at) && at <= block) (due ??= []).Add(_waiters.Dequeue());
        }
        foreach (var waiter in due ?? []) waiter.TrySetResult();
    }

    /// <summary>Waits until a block at or after <paramref name="block"/> has been seen (or cancellation).</summary>
    public async Task WaitForAsync(ulong block, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_block >= block) return;
            _waiters.Enqueue(seen, block);
        }
        // A cancelled wait leaves its entry in the queue; it is completed (harmlessly) when its block is seen.
        await seen.Task.WaitAsync(cancellationToken);
    }
}
