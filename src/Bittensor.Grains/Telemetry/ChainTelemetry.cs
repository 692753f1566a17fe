using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bittensor.Grains.Telemetry;

/// <summary>
/// The network's own telemetry: the <c>Bittensor</c> meter and activity source (both exported by the service defaults'
/// OpenTelemetry setup, so they show in the Aspire dashboard).
/// </summary>
public static class ChainTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "Bittensor";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Blocks produced and stored.</summary>
    public static readonly Counter<long> BlocksProduced = Meter.CreateCounter<long>("bittensor.blocks.produced", "{block}", "Blocks produced and stored");

    /// <summary>Time to produce and store a block (emission, epochs landed, commit), ms.</summary>
    public static readonly Histogram<double> BlockStep = Meter.CreateHistogram<double>("bittensor.block.step", "ms", "Time to produce and store a block");

    /// <summary>Signed transactions submitted, by <c>call</c> and <c>outcome</c> (<c>ok</c> or the rejection code).</summary>
    public static readonly Counter<long> Transactions = Meter.CreateCounter<long>("bittensor.transactions", "{transaction}", "Signed transactions by call and outcome");

    /// <summary>Client calls refused by the gateway's allow-list (an internal interface called through a gateway), by <c>method</c>.</summary>
    public static readonly Counter<long> GatewayRefused = Meter.CreateCounter<long>("bittensor.gateway.refused", "{call}", "Client calls refused by the gateway's allow-list");

    /// <summary>Time to compute a subnet's Yuma epoch, ms, by <c>netuid</c>.</summary>
    public static readonly Histogram<double> EpochTime = Meter.CreateHistogram<double>("bittensor.epoch.time", "ms", "Time to compute a subnet's epoch");

    private static readonly ConcurrentDictionary<ushort, double> Prices = new();

    /// <summary>Each subnet's pool price (TAO per alpha) as of the last block, by <c>netuid</c>.</summary>
    public static readonly ObservableGauge<double> PoolPrice = Meter.CreateObservableGauge("bittensor.pool.price",
        () => Prices.Select(p => new Measurement<double>(p.Value, new KeyValuePair<string, object?>("netuid", p.Key))), "TAO/alpha", "Subnet pool price");

    /// <summary>Records a stored block: its step time and, when anyone listens, the subnets' prices.</summary>
    public static void BlockStored(double milliseconds, Func<IEnumerable<(ushort Netuid, double Price)>> prices)
    {
        BlocksProduced.Add(1);
        BlockStep.Record(milliseconds);
        if (!PoolPrice.Enabled) return;
        foreach (var (netuid, price) in prices()) Prices[netuid] = price;
    }
}
