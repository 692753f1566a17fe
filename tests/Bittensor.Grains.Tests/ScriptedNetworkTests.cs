using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;

namespace Bittensor.Grains.Tests;

/// <summary>A whole network on a real cluster: its recorded epochs equal the engine's Exact output for the recorded inputs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ScriptedNetworkTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ScriptedSubnet_RecordsEpochsTheEngineReproduces_AndTheAuditHoldsAtEveryBlock()
    {
        var net = new Network(fixture, "scripted");
        string owner = net.Key("owner"), ownerHot = net.Key("owner-hot");
        ushort netuid = await fixture.CreateSubnetAsync(owner, ownerHot);
        await net.Ok(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "weights_rate_limit", Value = "0" });
        await net.Ok(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "max_allowed_validators", Value = "5" });

        var validators = Enumerable.Range(0, 4).Select(i => (Cold: net.Key($"v{i}-cold"), Hot: net.Key($"v{i}-hot"))).ToArray();
        var miners = Enumerable.Range(0, 8).Select(i => (Cold: net.Key($"m{i}-cold"), Hot: net.Key($"m{i}-hot"))).ToArray();
        foreach (var (cold, hot) in validators.Concat(miners))
        {
            await net.Fund(cold, 500);
            await net.Ok(new BurnedRegister { Signer = cold, Netuid = netuid, Hotkey = hot });
        }
        for (int i = 0; i < validators.Length; i++)
            await net.Ok(new AddStake { Signer = validators[i].Cold, Hotkey = validators[i].Hot, Netuid = netuid, Amount = (ulong)(50 + 40 * i) * Tao.Rao });
        // A nominator stakes on validator 0: it must receive part of that validator's dividends.
        string nominator = net.Key("nominator");
        await net.Fund(nominator, 100);
        await net.Ok(new AddStake { Signer = nominator, Hotkey = validators[0].Hot, Netuid = netuid, Amount = 60 * Tao.Rao });

        // One epoch hands out validator permits by stake.
        await StepUntilEpochs(net, netuid, 1);
        var metagraph = (await net.Grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        foreach (var (_, hot) in validators) Assert.True(metagraph.Neurons.Single(n => n.Hotkey == hot).ValidatorPermit, $"{hot} has no permit");

        // Validators weight the miners: honest ones agree, one dissents.
        var uids = miners.Select(m => metagraph.Neurons.Single(n => n.Hotkey == m.Hot).Uid).ToArray();
        for (int v = 0; v < validators.Length; v++)
        {
            var weights = uids.Select((_, k) => (ushort)(v == 3 ? 1000 + 7000 * (7 - k) : 1000 + 7000 * k)).ToArray();
            await net.Ok(new SetWeights { Signer = validators[v].Hot, Netuid = netuid, Uids = [.. uids], Weights = [.. weights] });
        }
        await net.Ok(new ServeAxon { Signer = miners[0].Hot, Netuid = netuid, Ip = "127.0.0.1", Port = 8091, Name = "miner-honest-0" });
        ulong nominatorBefore = (await net.Grains.GetGrain<IHotkeyGrain>(validators[0].Hot).GetAsync()).StakeOf(netuid, nominator);

        await StepUntilEpochs(net, netuid, 4);

        // Every recorded epoch re-runs to the same outputs on the engine (Exact).
        var epochs = await net.Grains.GetGrain<ISubnetGrain>(netuid).GetEpochsAsync(10);
        Assert.True(epochs.Length >= 4);
        foreach (var summary in epochs)
        {
            var record = await net.Grains.GetGrain<IEpochRecordGrain>(IEpochRecordGrain.KeyOf(netuid, summary.Index)).GetAsync();
            Assert.NotNull(record);
            using var doc = JsonDocument.Parse($$"""{"schema":"yuma-epoch-cases/1","cases":[{{record.InputsJson}}]}""");
            var run = EpochCaseRunner.Run(EpochCase.ReadDocument(doc.RootElement)[0], Arithmetic.Exact);
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer)) EpochResultJson.WriteStep(w, run.Steps[0].Block, run.Steps[0].Result);
            Assert.Equal(record.OutputsJson, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            Assert.Equal(summary.RaoEmission, summary.ServerEmission + summary.ValidatorEmission + summary.Carried);
        }

        // Emission reached miners, validators and the nominator; the dissenting validator earned less than its peers.
        metagraph = (await net.Grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        var best = metagraph.Neurons.Single(n => n.Hotkey == miners[7].Hot);
        var worst = metagraph.Neurons.Single(n => n.Hotkey == miners[0].Hot);
        Assert.True(best.Incentive > worst.Incentive, $"incentive {best.Incentive} vs {worst.Incentive}");
        Assert.True(best.Stake > 0);
        Assert.Equal("miner-honest-0", worst.Axon?.Name);
        Assert.All(validators, v => Assert.True(metagraph.Neurons.Single(n => n.Hotkey == v.Hot).Dividends > 0));
        ulong nominatorAfter = (await net.Grains.GetGrain<IHotkeyGrain>(validators[0].Hot).GetAsync()).StakeOf(netuid, nominator);
        Assert.True(nominatorAfter > nominatorBefore, "the nominator earned nothing");
        var ownerStake = (await net.Grains.GetGrain<IHotkeyGrain>(ownerHot).GetAsync()).StakeOf(netuid, owner);
        Assert.True(ownerStake > 0, "the owner cut was not staked to the owner hotkey");
    }

    /// <summary>Produces blocks one at a time until the subnet has run <paramref name="epochs"/> epochs, auditing after each.</summary>
    private static async Task StepUntilEpochs(Network net, ushort netuid, int epochs)
    {
        for (int guard = 0; guard < 200; guard++)
        {
            var info = (await net.Grains.GetGrain<ISubnetGrain>(netuid).GetInfoAsync())!;
            if (info.EpochIndex >= (ulong)epochs) return;
            await net.Chain.ProduceBlocksAsync(1);
            await net.AssertAudit();
        }
        Assert.Fail($"subnet {netuid} did not reach {epochs} epochs");
    }
}
