namespace Bittensor.Cli.Commands;

/// <summary>The latest block the benchmark has seen (from <c>/api/chain</c> reads and transaction answers), for waits without polling.</summary>
internal sealed class ChainClock(TimeSpan blockTime)
{
    private long _block;

    public ulong Block => (ulong)Interlocked.Read(ref _block);

    public void Observe(ulong block)
    {
        long seen = Interlocked.Read(ref _block);
        while ((long)block > seen)
        {
            long was = Interlocked.CompareExchange(ref _block, (long)block, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    /// <summary>Waits until a block at or after <paramref name="block"/> has been seen (or cancellation).</summary>
    public async Task WaitForAsync(ulong block, CancellationToken cancellationToken)
    {
        var step = blockTime < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : blockTime;
        while (Block < block) await Task.Delay(step, cancellationToken);
    }
}
