using Bittensor.Grains.Storage;
using Bittensor.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>Registration of the network's grains and options in a silo.</summary>
public static class GrainsExtensions
{
    /// <summary>Binds and validates <see cref="ChainOptions"/> (section "Chain") and keeps the chain clock running.</summary>
    public static IServiceCollection AddBittensorGrains(this IServiceCollection services)
    {
        services.AddOptions<ChainOptions>()
            .BindConfiguration(ChainOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !o.Problems().Any(), "Chain options are inconsistent: genesis balances must fit in Chain:GenesisIssuance, below the total supply; Chain:EpochWait must not be negative")
            .ValidateOnStart();
        services.AddHostedService<ChainClockKeeper>();
        services.AddSingleton(sp => new ClusterSecret(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[ClusterSecret.Key]));
        services.AddSingleton<GatewayRefusals>();
        services.AddSingleton<SiloOriginFilter>();
        services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<SiloOriginFilter>());
        services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<SiloOriginFilter>());
        services.AddSingleton<IIncomingGrainCallFilter, TelemetryFilter>();
        // The grains write through the "chain" provider — behind fault injection when a test registered StorageFaults.
        services.AddSingleton(sp =>
        {
            var storage = new TracingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(StorageNames.Chain));
            return new ChainStorage(sp.GetService<StorageFaults>() is { } faults
                ? new FaultInjectingGrainStorage(storage, faults, sp.GetRequiredService<Serializer>())
                : storage);
        });
        return services;
    }

    /// <summary>Injects storage faults under the chain's grain storage (tests): control them through the returned object.</summary>
    public static StorageFaults AddStorageFaults(this IServiceCollection services)
    {
        var faults = new StorageFaults();
        services.AddSingleton(faults);
        return faults;
    }
}

/// <summary>
/// Keeps the chain's block clock running: asks the chain grain to start its clock at start and every few seconds, so
/// that after a silo failure the clock resumes on a surviving silo within seconds.
/// </summary>
internal sealed partial class ChainClockKeeper(IGrainFactory grains, IOptions<ChainOptions> options, ILogger<ChainClockKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.AutoStart) return;
        await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IChainGrain>(IChainGrain.Key).StartClockAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRetry(logger, e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(3), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain clock not reachable yet: {Reason}")]
    private static partial void LogRetry(ILogger logger, string reason);
}
