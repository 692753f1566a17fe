using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bittensor.Silo.Hosting;

/// <summary>
/// The Azure Table account the silo stores in, for the readiness check (absent with in-memory storage). Probes are
/// shared: one query to the account answers every health request for a second, so a load balancer or a monitor polling
/// <c>/health</c> hard does not turn into load on the store the chain writes to.
/// </summary>
public sealed class StorageProbe(TableServiceClient tables, TimeProvider? time = null)
{
    /// <summary>How long one probe's answer serves later health requests.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _probe;
    private long _probedAt;

    public TableServiceClient Tables { get; } = tables;

    /// <summary>The latest probe's answer if it is under <see cref="Freshness"/> old, or a new probe's (one at a time).</summary>
    public Task<HealthCheckResult> CheckAsync()
    {
        lock (_gate)
        {
            if (_probe is null || (_probe.IsCompleted && _time.GetElapsedTime(_probedAt) > Freshness))
            {
                _probedAt = _time.GetTimestamp();
                _probe = ProbeAsync();
            }
            return _probe;
        }
    }

    /// <summary>Healthy when the table account answers a one-table query within 5 s.</summary>
    private async Task<HealthCheckResult> ProbeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var _ in Tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
                break;
            return HealthCheckResult.Healthy("table storage answers");
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or IOException or HttpRequestException or AggregateException)
        {
            return HealthCheckResult.Unhealthy("table storage does not answer", e);
        }
    }
}

/// <summary>The storage readiness check (always healthy with in-memory storage); see <see cref="StorageProbe"/>.</summary>
internal sealed class StorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<StorageProbe>() is not { } probe) return HealthCheckResult.Healthy("in-memory storage");
        // A caller that goes away stops waiting; the shared probe goes on for the next caller.
        return await probe.CheckAsync().WaitAsync(cancellationToken);
    }
}
