using Bittensor.Grains;
using Bittensor.Grains.Storage;
using Microsoft.Extensions.Configuration;
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

    public const ulong Genesis = 1_000_000 * Tao.Rao;

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

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chain:Id"] = "test",
            ["Chain:BlockTime"] = "00:00:01",
            ["Chain:NewSubnetTempo"] = "10",
            ["Chain:Faucet"] = "true",
            ["Chain:GenesisIssuance"] = Genesis.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chain:MinLockCost"] = (100 * Tao.Rao).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chain:AutoStart"] = "false",
            ["Chain:TrustClients"] = "true", // the tests drive a private cluster directly
            ["Chain:EpochWait"] = "00:00:20", // every epoch lands in the block it starts, so stepped tests are deterministic
        }.Concat(_overrides ?? new Dictionary<string, string?>()).GroupBy(kv => kv.Key).Select(g => g.Last())));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Chain);
            silo.Services.AddBittensorGrains();
            Faults = silo.Services.AddStorageFaults();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
