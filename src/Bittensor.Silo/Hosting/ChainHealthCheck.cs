using Bittensor.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bittensor.Silo.Hosting;

/// <summary>
/// Healthy when the chain grain answers and, with its clock running (<c>Chain:AutoStart</c>), is producing: not paused, and
/// its block moved within the last three block times (at least 10 s) as seen by this check's earlier runs.
/// </summary>
internal sealed class ChainHealthCheck(IGrainFactory grains, IOptions<ChainOptions> options, ChainProgress progress) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ChainStats stats;
        try
        {
            stats = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetStatsAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the chain grain does not answer", e);
        }
        if (stats.Paused) return HealthCheckResult.Unhealthy($"block production is paused: {stats.PauseReason}");
        var stalled = progress.Observe(stats.Block, DateTime.UtcNow);
        var limit = TimeSpan.FromTicks(Math.Max(3 * options.Value.BlockTime.Ticks, TimeSpan.FromSeconds(10).Ticks));
        if (options.Value.AutoStart && stalled > limit)
            return HealthCheckResult.Unhealthy($"block {stats.Block} has not moved for {stalled.TotalSeconds:0} s");
        return HealthCheckResult.Healthy($"block {stats.Block}");
    }
}

/// <summary>The last block the health check saw move, and when (one per silo).</summary>
internal sealed class ChainProgress
{
    private readonly Lock _gate = new();
    private ulong _block;
    private DateTime _movedAt = DateTime.MinValue;

    /// <summary>Records <paramref name="block"/> seen at <paramref name="now"/>; returns how long the block has not moved.</summary>
    public TimeSpan Observe(ulong block, DateTime now)
    {
        lock (_gate)
        {
            if (block != _block || _movedAt == DateTime.MinValue)
            {
                _block = block;
                _movedAt = now;
            }
            return now - _movedAt;
        }
    }
}
