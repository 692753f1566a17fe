using System.Diagnostics;
using Azure.Data.Tables;
using Bittensor.Grains;
using Bittensor.Keys;
using Bittensor.Subnets;
using Bittensor.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Bittensor.Api.Tests;

/// <summary>Two silos on Azure Table storage (Azurite); one is killed while miners and a validator work.</summary>
public sealed class FailoverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task KillingASilo_WorkersRecoverWithinSeconds_AndTheAuditHolds()
    {
        var settings = TestChain.Settings("failover", new Dictionary<string, string?>
        {
            ["Chain:BlockTime"] = "00:00:12", // the production default; the test steps the chain
            ["Chain:GenesisIssuance"] = TestChain.Invariant(100_000 * Tao.Rao),
        });
        await using var cluster = TestChain.Cluster(2, settings, silo =>
        {
            silo.AddAzureTableGrainStorage(StorageNames.Chain, o => o.TableServiceClient = new TableServiceClient(azurite.ConnectionString));
            silo.Services.AddOptions<AzureTableStorageOptions>(StorageNames.Chain)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        },
        // The workers' client as deployed (ClusterSettings.ClientResponseTimeout): a call caught on the dead silo fails
        // after 10 s, not after Orleans' default 30 s, which alone would use up the recovery bar.
        client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = new ClusterSettings().ClientResponseTimeout));
        await cluster.DeployAsync();
        var grains = cluster.Client;
        var chain = grains.GetGrain<IChainGrain>(IChainGrain.Key);

        using var owner = KeyPair.Generate();
        Assert.True((await chain.ExecuteAsync(new Faucet { Signer = owner.Address, Amount = 500 * Tao.Rao })).Ok);
        ushort netuid = (await chain.ExecuteAsync(new RegisterNetwork { Signer = owner.Address, Hotkey = KeyPair.Generate().Address })).Netuid!.Value;
        Assert.True((await chain.ExecuteAsync(new SetHyperparameter { Signer = owner.Address, Netuid = netuid, Name = "weights_rate_limit", Value = "0" })).Ok);
        using var backend = new CpuBackend();
        var miners = new List<MinerWorker>();
        for (int i = 0; i < 3; i++)
        {
            var cold = KeyPair.Generate();
            Assert.True((await chain.ExecuteAsync(new Faucet { Signer = cold.Address, Amount = 10 * Tao.Rao })).Ok);
            var miner = new MinerWorker(grains, cold, KeyPair.Generate(), netuid, "honest", $"miner-honest-{i}", backend, NullLogger.Instance);
            await miner.RegisterAsync();
            await miner.SubscribeAsync();
            miners.Add(miner);
        }
        var vcold = KeyPair.Generate();
        Assert.True((await chain.ExecuteAsync(new Faucet { Signer = vcold.Address, Amount = 200 * Tao.Rao })).Ok);
        var validator = new ValidatorWorker(grains, vcold, KeyPair.Generate(), netuid, "honest", "validator-honest-0", NullLogger.Instance) { WeightsEveryBlocks = 1 };
        await validator.RegisterAsync(100);
        await chain.ProduceBlocksAsync(12);
        await validator.RoundAsync();
        Assert.All(miners, m => Assert.True(validator.LastRound[m.Hotkey] > 0, "a miner did not answer correctly"));

        // Kill the silo that hosts the chain grain (the single writer): its state must come back from Azure Tables.
        var management = grains.GetGrain<IManagementGrain>(0);
        var chainHost = await management.GetActivationAddress(chain);
        Assert.NotNull(chainHost);
        var victim = cluster.Silos.Single(s => s.SiloAddress.Equals(chainHost));
        ulong blockBefore = (await chain.GetInfoAsync()).Block;
        await cluster.KillSiloAsync(victim);
        var clock = Stopwatch.StartNew();
        bool recovered = false;
        while (!recovered && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                foreach (var m in miners) await m.SubscribeAsync(); // what each miner's 5-second renewal loop does
                await validator.RoundAsync();
                recovered = miners.All(m => validator.LastRound.GetValueOrDefault(m.Hotkey) > 0)
                    && (await chain.ProduceBlocksAsync(1)) > 0
                    && await validator.MaybeSetWeightsAsync();
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or TransactionRejectedException or System.Net.Sockets.SocketException)
            {
                // The cluster is still declaring the dead silo and moving its grains.
            }
            if (!recovered) await Task.Delay(250);
        }
        Assert.True(recovered, "the workers did not recover within 60 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"recovery took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True((await chain.GetInfoAsync()).Block > blockBefore, "the chain did not resume from its stored state");
        Assert.NotEqual(victim.SiloAddress, await management.GetActivationAddress(chain));

        // The network goes on: an epoch after the failure pays the miners, and nothing was lost or created.
        var before = (await grains.GetGrain<ISubnetGrain>(netuid).GetInfoAsync())!.EpochIndex;
        while ((await grains.GetGrain<ISubnetGrain>(netuid).GetInfoAsync())!.EpochIndex == before) await chain.ProduceBlocksAsync(1);
        var metagraph = (await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        Assert.All(miners, m => Assert.True(metagraph.Neurons.Single(n => n.Hotkey == m.Hotkey).Incentive > 0));
        var audit = await chain.AuditAsync();
        Assert.True(audit.Ok, audit.ToString());
    }
}
