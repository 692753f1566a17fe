using Bittensor.Runtime;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Bittensor.Grains;

[StatelessWorker, Reentrant]
public sealed class BeaconGrain(IOptions<ChainOptions> options) : Grain, IBeaconGrain
{
    public async Task<BeaconView?> GetAsync(ulong? round)
    {
        var beacon = HashChainBeacon.For(options.Value.ToRules());
        ulong block = (await GrainFactory.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync()).Block;
        ulong latest = beacon.LatestRound(block), target = round ?? latest + 1;
        if (target > beacon.LastRound) return null;
        return new BeaconView(beacon.Anchor, beacon.RoundBlocks, beacon.LastRound, block, latest, Convert.ToHexStringLower(beacon.RoundSecret(latest, block)!),
            target, Convert.ToHexStringLower(beacon.PublicKey(target)), target * beacon.RoundBlocks, TimelockReveal.CommitRevealVersion);
    }
}
