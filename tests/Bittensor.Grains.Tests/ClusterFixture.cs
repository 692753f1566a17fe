using Bittensor.Grains;
using Bittensor.Grains.Storage;
using Bittensor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Bittensor.Grains.Tests;

/// <summary>
/// A real one-silo Orleans cluster (InProcessTestCluster) with in-memory grain storage and a development chain whose
/// clock is stepped by the tests (no timer), so every test is deterministic.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?>? _overrides;

    public ClusterFixture() => _overrides = null;

    /// <summary>A cluster with some chain settings overridden (not used as an xunit fixture).</summary>
    internal static ClusterFixture With(IReadOnlyDictionary<string, string?> overrides) => new(overrides);

    private ClusterFixture(IReadOnlyDictionary<string, string?> overrides) => _overrides = overrides;

    public const ulong Genesis = TestChain.GenesisIssuance;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IChainGrain Chain => Grains.GetGrain<IChainGrain>(IChainGrain.Key);

    /// <summary>Faults injected under the silo's grain storage (none unless a test asks).</summary>
    public StorageFaults Faults { get; private set; } = null!;

    /// <summary>
    /// Creates a subnet owned by <paramref name="coldkey"/>, first drawing from the faucet whatever the current lock cost
    /// needs (it doubles with every subnet the other tests on this cluster created), so tests do not depend on order.
    /// </summary>
    public async Task<ushort> CreateSubnetAsync(string coldkey, string hotkey)
    {
        var info = await Chain.GetInfoAsync();
        ulong needed = info.NetworkLockCost + 100 * Tao.Rao;
        while ((await Grains.GetGrain<IAccountGrain>(coldkey).GetAsync()).Balance < needed)
        {
            var r = await Chain.ExecuteAsync(new Faucet { Signer = coldkey, Amount = 10_000 * Tao.Rao });
            Assert.True(r.Ok, $"faucet: {r.Code}: {r.Message}");
        }
        var created = await Chain.ExecuteAsync(new RegisterNetwork { Signer = coldkey, Hotkey = hotkey });
        Assert.True(created.Ok, $"register_network: {created.Code}: {created.Message}");
        return created.Netuid!.Value;
    }

    public async ValueTask InitializeAsync()
    {
        var settings = TestChain.Settings("test", _overrides);
        settings.TryAdd("Chain:EpochWait", "00:00:20"); // every epoch lands in the block it starts, so stepped tests are deterministic
        Cluster = TestChain.Cluster(1, settings, silo =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Chain);
            Faults = silo.Services.AddStorageFaults();
        });
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
