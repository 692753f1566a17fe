using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Grains.Tests;

/// <summary>
/// A clock block gets an epoch's outcome without waiting for its record to be stored; the record is stored right after,
/// in order: the subnet's next epoch starts only once the previous record is in storage.
/// </summary>
public sealed class EpochRecordOrderTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const ushort Netuid = 4000; // no subnet: the consensus grain is driven directly

    private IGrainFactory Silo => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task RecordsOfOutcomesReturnedFirst_AreStoredBeforeTheNextEpoch_AndRecordFirstStoresAtOnce()
    {
        var consensus = Silo.GetGrain<IConsensusGrain>(Netuid);
        var first = await consensus.RunAsync(Request(0), recordFirst: false);
        Assert.Equal(0ul, first.Outcome.Start.Index);
        var second = await consensus.RunAsync(Request(1), recordFirst: false);
        Assert.Equal(1ul, second.Outcome.Start.Index);
        // The second run began by waiting for the first record: it is stored, whatever the timing.
        var record = await fixture.Grains.GetGrain<IEpochRecordGrain>(IEpochRecordGrain.KeyOf(Netuid, 0)).GetAsync();
        Assert.NotNull(record);
        Assert.Equal(100ul, record.Block);

        await consensus.RunAsync(Request(2), recordFirst: true);
        Assert.NotNull(await fixture.Grains.GetGrain<IEpochRecordGrain>(IEpochRecordGrain.KeyOf(Netuid, 2)).GetAsync());
    }

    private static EpochRequest Request(ulong index) => new()
    {
        Start = new EpochStart { Netuid = Netuid, Index = index, Block = 100 + index, Hyper = new SubnetHyperparameters(), RaoEmission = 1_000_000 },
        AsOfSeq = 0,
        OwnerUid = null,
        Stake = [1_000, 0],
        WeightStarts = [0, 1, 1],
        WeightColumns = [1],
        WeightValues = [65535],
        BondStarts = [0, 0, 0],
        BondColumns = [],
        BondValues = [],
        ValidatorPermit = [true, false],
        LastUpdate = [100 + index, 0],
        BlockAtRegistration = [0, 0],
        LastMechanismStepBlock = 0,
        Hotkeys = ["validator", "miner"],
        Coldkeys = ["validator-cold", "miner-cold"],
    };
}
