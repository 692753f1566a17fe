using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bittensor.Silo.Hosting;

/// <summary>The Azure Table account the silo stores in, for the readiness check (absent with in-memory storage).</summary>
public sealed class StorageProbe(TableServiceClient tables)
{
    public TableServiceClient Tables { get; } = tables;
}

/// <summary>Healthy when the table account answers a one-table query within 5 s (always, with in-memory storage).</summary>
internal sealed class StorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<StorageProbe>() is not { } probe) return HealthCheckResult.Healthy("in-memory storage");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var _ in probe.Tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
                break;
            return HealthCheckResult.Healthy("table storage answers");
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or IOException or HttpRequestException or AggregateException)
        {
            return HealthCheckResult.Unhealthy("table storage does not answer", e);
        }
    }
}
