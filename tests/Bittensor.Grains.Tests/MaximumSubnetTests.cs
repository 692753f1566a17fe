namespace Bittensor.Grains.Tests;

/// <summary>
/// The largest subnet the chain accepts — 4096 UIDs, 1024 validators setting weights on every UID — is stored in
/// entities far below Azure Table's 1 MB limit, blocks keep coming through its epochs, and a cold start reads it all back.
/// </summary>
public sealed class MaximumSubnetTests : IAsyncLifetime
{
    private const int Uids = 4096, Validators = 1024;

    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?> { ["Chain:GenesisIssuance"] = (10_000_000 * Tao.Rao).ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task MaximumSubnet_IsStoredInBoundedEntities_AndReadsBackWhole()
    {
        var net = new Network(_fixture, "max");
        string owner = net.Key("owner");
        ushort netuid = await _fixture.CreateSubnetAsync(owner, net.Key("hot0"));
        foreach (var (name, value) in new[] { ("max_burn", "500000"), ("max_allowed_uids", "4096"), ("max_allowed_validators", "1024"), ("weights_rate_limit", "0"), ("immunity_period", "0") })
            await net.Ok(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = name, Value = value });
        var coldkeys = Enumerable.Range(0, 4).Select(i => net.Key($"cold{i}")).ToArray();
        foreach (var c in coldkeys) await net.Fund(c, 5_000);
        for (int uid = 1; uid < Uids; uid++)
            await net.Ok(new BurnedRegister { Signer = coldkeys[uid % 4], Netuid = netuid, Hotkey = net.Key($"hot{uid}") });
        for (int uid = 1; uid < Validators; uid++)
            await net.Ok(new AddStake { Signer = coldkeys[uid % 4], Hotkey = net.Key($"hot{uid}"), Netuid = netuid, Amount = (ulong)(1 + uid % 7) * Tao.Rao });
        await StepUntilEpoch(net, netuid, 1); // validator permits

        var everyUid = Enumerable.Range(0, Uids).Select(u => (ushort)u).ToArray();
        var random = new Random(42);
        for (int v = 0; v < Validators; v++)
            await net.Ok(new SetWeights
            {
                Signer = net.Key($"hot{v}"), Netuid = netuid, Uids = [.. everyUid], Weights = [.. everyUid.Select(_ => (ushort)random.Next(1, 65536))],
            });
        ulong blockBefore = (await net.Chain.GetInfoAsync()).Block;
        await StepUntilEpoch(net, netuid, 3); // two epochs on the full matrix: bonds for every validator row
        Assert.True((await net.Chain.GetInfoAsync()).Block > blockBefore);

        // No entity written came near Azure Table's 1 MB limit (chunks are at most 256 KiB).
        Assert.True(_fixture.Faults.LargestEntity < 300 * 1024, $"largest entity {_fixture.Faults.LargestEntity} bytes ({_fixture.Faults.LargestEntityName})");
        var weights = await net.Grains.GetGrain<ISubnetGrain>(netuid).GetWeightsAsync();
        var metagraph = (await net.Grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        Assert.Equal(Validators, weights.Length);
        Assert.All(weights, row => Assert.Equal(Uids, row.Uids.Length));
        Assert.Equal(Uids, metagraph.Neurons.Length);
        Assert.True(metagraph.Neurons.Count(n => n.ValidatorPermit) >= Validators - 1);

        // Pages of 256 UIDs cover every weight and bond row once, now and at the block before the epochs (issue 11, part 4).
        var subnet = net.Grains.GetGrain<ISubnetGrain>(netuid);
        async Task<List<WeightRow>> AllRows(MatrixKind kind, ulong? block)
        {
            var rows = new List<WeightRow>();
            for (int offset = 0; offset < Uids; offset += 256)
            {
                var page = (await subnet.GetMatrixAsync(kind, block, offset, 256)).Value!;
                Assert.Equal(Uids, page.N);
                Assert.All(page.Rows, r => Assert.InRange(r.Uid, offset, offset + 255));
                rows.AddRange(page.Rows);
            }
            return rows;
        }
        Assert.Equal(weights.Select(r => (r.Uid, r.Weights.Length)), (await AllRows(MatrixKind.Weights, null)).Select(r => (r.Uid, r.Weights.Length)));
        Assert.Equal(weights.Select(r => r.Uid), (await AllRows(MatrixKind.Weights, blockBefore)).Select(r => r.Uid));
        Assert.True((await AllRows(MatrixKind.Bonds, null)).Count >= Validators - 1);
        Assert.Empty(await AllRows(MatrixKind.Bonds, blockBefore)); // no weights before that block's epoch: no bonds
        Assert.Equal(Uids, (await subnet.GetMetagraphAtAsync(blockBefore)).Value!.Neurons.Length);

        // Cold start: every grain deactivates and reads its state back from storage.
        await net.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var weightsAfter = await net.Grains.GetGrain<ISubnetGrain>(netuid).GetWeightsAsync();
        var metagraphAfter = (await net.Grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        Assert.Equal(weights.Select(r => (r.Uid, r.Hotkey)), weightsAfter.Select(r => (r.Uid, r.Hotkey)));
        Assert.All(weights.Zip(weightsAfter), p => Assert.Equal(p.First.Weights.ToArray(), p.Second.Weights.ToArray()));
        Assert.Equal(metagraph.Neurons.ToArray(), metagraphAfter.Neurons.ToArray());
        await net.Chain.ProduceBlocksAsync(1);
        await net.AssertAudit();
    }

    private static async Task StepUntilEpoch(Network net, ushort netuid, ulong epochs)
    {
        for (int guard = 0; guard < 40; guard++)
        {
            var info = (await net.Chain.GetSubnetInfoAsync(netuid))!;
            if (info.EpochIndex >= epochs && (await net.Chain.GetStatsAsync()).EpochsInFlight == 0) return;
            await net.Chain.ProduceBlocksAsync(1);
        }
        Assert.Fail($"subnet {netuid} did not reach {epochs} epochs");
    }
}
