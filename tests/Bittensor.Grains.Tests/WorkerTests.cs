using Bittensor.Keys;
using Bittensor.Subnets;
using Bittensor.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bittensor.Grains.Tests;

/// <summary>Miners and validators as in-process Orleans clients competing on a matmul subnet for several epochs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerTests(ClusterFixture fixture)
{
    [Fact]
    public async Task HonestMinersEarnMost_SlowOnesLess_LazyOnesNothing_CopiersNoMoreThanTheCopied()
    {
        var grains = fixture.Grains;
        var chain = fixture.Chain;
        using var owner = KeyPair.Generate();
        using var ownerHot = KeyPair.Generate();
        async Task Fund(KeyPair k, ulong tao) => Assert.True((await chain.ExecuteAsync(new Faucet { Signer = k.Address, Amount = tao * Tao.Rao })).Ok);
        ushort netuid = await fixture.CreateSubnetAsync(owner.Address, ownerHot.Address);
        foreach (var (name, value) in new[] { ("task", "matmul"), ("weights_rate_limit", "0") })
            Assert.True((await chain.ExecuteAsync(new SetHyperparameter { Signer = owner.Address, Netuid = netuid, Name = name, Value = value })).Ok);

        using var backend = new CpuBackend();
        var miners = new List<MinerWorker>();
        foreach (var (profile, i) in new[] { ("honest", 0), ("honest", 1), ("slow", 0), ("lazy", 0), ("copier", 0) })
        {
            var cold = KeyPair.Generate();
            await Fund(cold, 20);
            // Slow enough (1.2 s) that no load on the test machine can make an honest miner look as slow.
            var miner = new MinerWorker(grains, cold, KeyPair.Generate(), netuid, profile, $"miner-{profile}-{i}", backend, NullLogger.Instance)
            {
                SlowDelay = TimeSpan.FromSeconds(1.2),
            };
            await miner.RegisterAsync();
            await miner.SubscribeAsync();
            miners.Add(miner);
        }
        var validators = new List<ValidatorWorker>();
        foreach (var (stake, i) in new[] { (100UL, 0), (80UL, 1) })
        {
            var cold = KeyPair.Generate();
            await Fund(cold, 200);
            var validator = new ValidatorWorker(grains, cold, KeyPair.Generate(), netuid, "honest", $"validator-honest-{i}", NullLogger.Instance) { WeightsEveryBlocks = 1 };
            await validator.RegisterAsync(stake);
            validators.Add(validator);
        }
        await chain.ProduceBlocksAsync(12); // an epoch: validators get permits

        for (int epoch = 0; epoch < 4; epoch++)
        {
            foreach (var v in validators)
            {
                await v.RoundAsync();
                Assert.True(await v.MaybeSetWeightsAsync());
            }
            await chain.ProduceBlocksAsync(11);
            var audit = await chain.AuditAsync();
            Assert.True(audit.Ok);
        }

        var metagraph = (await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        ushort Incentive(int miner) => metagraph.Neurons.Single(n => n.Hotkey == miners[miner].Hotkey).Incentive;
        string Scores() => string.Join(", ", miners.Select((m, k) => $"{m.Profile}: incentive {Incentive(k)}, score {validators[0].Scores.GetValueOrDefault(m.Hotkey):0.00}"));
        Assert.True(Incentive(0) > Incentive(2) && Incentive(1) > Incentive(2), Scores());
        Assert.True(Incentive(2) > 0, Scores());
        Assert.True(Incentive(3) < 655, Scores());
        Assert.True(Incentive(4) <= Math.Max(Incentive(0), Incentive(1)) + 655, Scores());
        Assert.Equal("miner-lazy-0", metagraph.Neurons.Single(n => n.Hotkey == miners[3].Hotkey).Axon?.Name);
        Assert.All(validators, v => Assert.True(metagraph.Neurons.Single(n => n.Hotkey == v.Hotkey).Dividends > 0));
    }

    [Fact]
    public async Task Validator_OnACommitRevealSubnet_CommitsThenRevealsInTheRevealEpoch()
    {
        var grains = fixture.Grains;
        var chain = fixture.Chain;
        using var owner = KeyPair.Generate();
        ushort netuid = await fixture.CreateSubnetAsync(owner.Address, KeyPair.Generate().Address);
        async Task Fund(KeyPair k, ulong tao) => Assert.True((await chain.ExecuteAsync(new Faucet { Signer = k.Address, Amount = tao * Tao.Rao })).Ok);
        async Task Set(string name, string value) =>
            Assert.True((await chain.ExecuteAsync(new SetHyperparameter { Signer = owner.Address, Netuid = netuid, Name = name, Value = value })).Ok);
        async Task ToEpoch(ulong epoch)
        {
            while ((await chain.GetSubnetInfoAsync(netuid))!.EpochIndex < epoch) await chain.ProduceBlocksAsync(1);
        }
        await Set("task", "matmul");
        await Set("weights_rate_limit", "0");
        using var backend = new CpuBackend();
        var minerCold = KeyPair.Generate();
        await Fund(minerCold, 20);
        var miner = new MinerWorker(grains, minerCold, KeyPair.Generate(), netuid, "honest", "miner-honest-0", backend, NullLogger.Instance);
        await miner.RegisterAsync();
        await miner.SubscribeAsync();
        var cold = KeyPair.Generate();
        await Fund(cold, 200);
        var validator = new ValidatorWorker(grains, cold, KeyPair.Generate(), netuid, "honest", "validator-honest-0", NullLogger.Instance) { WeightsEveryBlocks = 1 };
        await validator.RegisterAsync(100);
        await chain.ProduceBlocksAsync(12); // an epoch: the validator gets its permit
        await Set("commit_reveal_weights_enabled", "true");
        var subnet = grains.GetGrain<ISubnetGrain>(netuid);

        await validator.RoundAsync();
        Assert.True(await validator.MaybeSetWeightsAsync());
        var first = Assert.Single(await subnet.GetCommitsAsync(validator.Hotkey));
        Assert.Equal(first.Hash, validator.PendingCommit);
        Assert.DoesNotContain(await subnet.GetWeightsAsync(), r => r.Hotkey == validator.Hotkey);
        await validator.RoundAsync();
        Assert.False(await validator.MaybeSetWeightsAsync()); // one commit at a time, and it is not due yet

        await ToEpoch(first.Epoch + 1);
        await validator.RoundAsync();
        Assert.True(await validator.MaybeSetWeightsAsync()); // reveals, then commits the next weights
        var row = Assert.Single(await subnet.GetWeightsAsync(), r => r.Hotkey == validator.Hotkey);
        ushort minerUid = (await subnet.GetMetagraphAsync())!.Neurons.Single(n => n.Hotkey == miner.Hotkey).Uid;
        Assert.Contains(minerUid, row.Uids);
        var next = Assert.Single(await subnet.GetCommitsAsync(validator.Hotkey));
        Assert.NotEqual(first.Hash, next.Hash);
        Assert.Equal(next.Hash, validator.PendingCommit);

        await chain.ProduceBlocksAsync(11); // the revealed weights pay the miner
        var metagraph = (await subnet.GetMetagraphAsync())!;
        Assert.True(metagraph.Neurons.Single(n => n.Hotkey == miner.Hotkey).Incentive > 0);
        Assert.True((await chain.AuditAsync()).Ok);
    }

    [Fact]
    public async Task Miners_RefuseUnsignedOrUnpermittedRequests()
    {
        var grains = fixture.Grains;
        using var owner = KeyPair.Generate();
        using var ownerHot = KeyPair.Generate();
        ushort netuid = await fixture.CreateSubnetAsync(owner.Address, ownerHot.Address);
        var cold = KeyPair.Generate();
        Assert.True((await fixture.Chain.ExecuteAsync(new Faucet { Signer = cold.Address, Amount = 10 * Tao.Rao })).Ok);
        using var backend = new CpuBackend();
        var miner = new MinerWorker(grains, cold, KeyPair.Generate(), netuid, "honest", "miner-honest-0", backend, NullLogger.Instance);
        await miner.RegisterAsync();
        await miner.SubscribeAsync();
        var minerGrain = grains.GetGrain<IMinerGrain>(miner.Hotkey);
        var task = SubnetTasks.Get("matmul");

        using var stranger = KeyPair.Generate(); // no permit
        var signed = ChainClient.Sign(task.CreateChallenge(1, netuid, stranger.Address), stranger, miner.Hotkey, TimeSpan.FromMinutes(1));
        Assert.Null(await minerGrain.DispatchAsync(signed, TimeSpan.FromSeconds(5)));
        var forged = signed with { Validator = ownerHot.Address };
        Assert.Null(await minerGrain.DispatchAsync(forged, TimeSpan.FromSeconds(5)));
        // The subnet owner's hotkey holds a permit: a challenge it signs is answered.
        await fixture.Chain.ProduceBlocksAsync(12);
        var answer = await minerGrain.DispatchAsync(ChainClient.Sign(task.CreateChallenge(2, netuid, ownerHot.Address), ownerHot, miner.Hotkey, TimeSpan.FromMinutes(1)), TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.Equal(1.0, task.Score(task.CreateChallenge(2, netuid, ownerHot.Address), answer.Values.AsSpan(), TimeSpan.Zero));
    }
}

/// <summary>Dishonest validators: Yuma consensus clips a colluding minority; a weight copier reproduces the largest validator's weights.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ValidatorProfileTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ColludingMinority_IsClipped_AndWeightCopiersCopy()
    {
        var grains = fixture.Grains;
        var chain = fixture.Chain;
        using var owner = KeyPair.Generate();
        async Task Fund(KeyPair k, ulong tao) => Assert.True((await chain.ExecuteAsync(new Faucet { Signer = k.Address, Amount = tao * Tao.Rao })).Ok);
        ushort netuid = await fixture.CreateSubnetAsync(owner.Address, KeyPair.Generate().Address);
        foreach (var (name, value) in new[] { ("task", "matmul"), ("weights_rate_limit", "0") })
            Assert.True((await chain.ExecuteAsync(new SetHyperparameter { Signer = owner.Address, Netuid = netuid, Name = name, Value = value })).Ok);
        using var backend = new CpuBackend();
        var miners = new List<MinerWorker>();
        foreach (var profile in new[] { "honest", "lazy" })
        {
            var cold = KeyPair.Generate();
            await Fund(cold, 20);
            var m = new MinerWorker(grains, cold, KeyPair.Generate(), netuid, profile, $"miner-{profile}-0", backend, NullLogger.Instance);
            await m.RegisterAsync();
            await m.SubscribeAsync();
            miners.Add(m);
        }
        var validators = new List<ValidatorWorker>();
        foreach (var (profile, stake) in new[] { ("honest", 150UL), ("colluding", 40UL), ("weight-copier", 40UL) })
        {
            var cold = KeyPair.Generate();
            await Fund(cold, 200);
            var v = new ValidatorWorker(grains, cold, KeyPair.Generate(), netuid, profile, $"validator-{profile}-0", NullLogger.Instance)
            {
                WeightsEveryBlocks = 1,
                Favoured = miners[1].Hotkey, // the colluding validator favours the lazy miner
            };
            await v.RegisterAsync(stake);
            validators.Add(v);
        }
        await chain.ProduceBlocksAsync(12);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (var v in validators)
            {
                await v.RoundAsync();
                await v.MaybeSetWeightsAsync();
            }
            await chain.ProduceBlocksAsync(11);
        }
        var metagraph = (await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        var honestMiner = metagraph.Neurons.Single(n => n.Hotkey == miners[0].Hotkey);
        var lazyMiner = metagraph.Neurons.Single(n => n.Hotkey == miners[1].Hotkey);
        Assert.True(lazyMiner.Incentive < honestMiner.Incentive / 10, $"lazy {lazyMiner.Incentive} vs honest {honestMiner.Incentive}");
        Assert.Equal(0, lazyMiner.Consensus); // the stake majority never weights it: consensus clips the collusion away

        var rows = await grains.GetGrain<ISubnetGrain>(netuid).GetWeightsAsync();
        var honestRow = rows.Single(r => r.Hotkey == validators[0].Hotkey);
        var copierRow = rows.Single(r => r.Hotkey == validators[2].Hotkey);
        Assert.Equal(honestRow.Uids.ToArray(), copierRow.Uids.ToArray());
        var colluderRow = rows.Single(r => r.Hotkey == validators[1].Hotkey);
        Assert.Equal(new[] { lazyMiner.Uid }, colluderRow.Uids.ToArray());
        Assert.True((await chain.AuditAsync()).Ok);
    }
}
