using System.Reflection;
using Bittensor.Keys;
using Bittensor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The gateway is default-deny: an external client reaches only the interfaces and methods marked
/// <see cref="ClientCallableAttribute"/>, whatever its messages claim about their sender; the silo's own calls carry
/// the cluster's proof of origin.
/// </summary>
public sealed class GatewaySecurityTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?> { ["Chain:TrustClients"] = "false" });

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    private IGrainFactory Silo => _fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task EveryInternalInterface_IsRefusedToClients_StateUnchanged()
    {
        using var victim = KeyPair.Generate();
        await FundAsync(victim.Address, 100 * Tao.Rao);
        var before = await SnapshotAsync(victim.Address);
        var g = _fixture.Grains;
        Func<Task>[] calls =
        [
            () => _fixture.Chain.ExecuteAsync(new Transfer { Signer = victim.Address, Dest = KeyPair.Generate().Address, Amount = Tao.Rao }),
            () => _fixture.Chain.ProduceBlocksAsync(100),
            () => _fixture.Chain.StartClockAsync(),
            () => _fixture.Chain.AuditAsync(),
            () => _fixture.Chain.PreflightAsync(new Faucet { Signer = victim.Address, Amount = 1 }),
            () => g.GetGrain<IAccountLedger>(victim.Address).ApplyAsync(long.MaxValue, 1, [new AccountChange(1_000_000 * (long)Tao.Rao)]),
            () => g.GetGrain<IAccountLedger>(victim.Address).GetStateAsync(),
            () => g.GetGrain<IHotkeyLedger>(victim.Address).GetStateAsync(),
            () => g.GetGrain<ISubnetLedger>(0).ApplyAsync(long.MaxValue, 1, []),
            () => g.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(0, 0)).ClearAsync(),
            () => g.GetGrain<IAddressIndex>(IAddressIndex.KeyOf(AddressKind.Account, 0)).ApplyAsync(long.MaxValue, ["forged"]),
            () => g.GetGrain<IConsensusGrain>(0).RunAsync(null!, true),
            () => g.GetGrain<IBlockLogLedger>(IBlockLog.Key).AppendAsync([]),
            () => g.GetGrain<IManagementGrain>(0).GetHosts(),
            () => g.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero),
        ];
        foreach (var call in calls)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(call);
            Assert.Contains("not open to clients", refused.Message);
        }
        Assert.Equal(before, await SnapshotAsync(victim.Address));
    }

    [Fact]
    public async Task ForgedProofInRequestContext_IsRefused()
    {
        using var victim = KeyPair.Generate();
        await FundAsync(victim.Address, 100 * Tao.Rao);
        var before = await SnapshotAsync(victim.Address);
        RequestContext.Set(SiloOriginFilter.ProofKey, new string('0', 64));
        try
        {
            await Assert.ThrowsAnyAsync<UnauthorizedAccessException>(() => _fixture.Chain.ProduceBlocksAsync(5));
            await Assert.ThrowsAnyAsync<UnauthorizedAccessException>(() =>
                _fixture.Grains.GetGrain<IAccountLedger>(victim.Address).ApplyAsync(long.MaxValue, 1, [new AccountChange(1_000)]));
        }
        finally
        {
            RequestContext.Remove(SiloOriginFilter.ProofKey);
        }
        Assert.Equal(before, await SnapshotAsync(victim.Address));
    }

    /// <summary>
    /// The attack from the issue: the client rewrites its own address so its messages name a grain (the transactions
    /// grain's id, or none) as sender. The reply is lost either way; the write must not happen.
    /// </summary>
    [Fact]
    public async Task ClientForgingItsSendingGrain_IsRefused_StateUnchanged()
    {
        using var victim = KeyPair.Generate();
        using var thief = KeyPair.Generate();
        await FundAsync(victim.Address, 100 * Tao.Rao);
        var before = await SnapshotAsync(victim.Address);
        var runtime = OutsideRuntimeClient(_fixture.Grains);
        var address = runtime.GetType().GetProperty("CurrentActivationAddress", BindingFlags.Public | BindingFlags.Instance)!;
        var own = (GrainAddress)address.GetValue(runtime)!;
        var refusals = _fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<GatewayRefusals>();
        long refusedBefore = refusals.Count;
        var transactionsId = ((GrainReference)_fixture.Grains.GetGrain<ITransactionsGrain>(0)).GrainId;
        foreach (var forged in new[] { transactionsId, ((GrainReference)_fixture.Chain).GrainId })
        {
            address.SetValue(runtime, new GrainAddress { GrainId = forged, SiloAddress = own.SiloAddress, ActivationId = own.ActivationId });
            try
            {
                Task[] sent = // never awaited: their replies go to the forged address
                [
                    _fixture.Chain.ExecuteAsync(new Transfer { Signer = victim.Address, Dest = thief.Address, Amount = 40 * Tao.Rao }),
                    _fixture.Grains.GetGrain<IAccountLedger>(thief.Address).ApplyAsync(long.MaxValue, 1, [new AccountChange(1_000_000 * (long)Tao.Rao)]),
                    _fixture.Chain.ProduceBlocksAsync(10),
                ];
                foreach (var task in sent) _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: no unobserved-exception noise
            }
            finally
            {
                address.SetValue(runtime, own);
            }
        }
        // The replies went to the forged address and never come back: the silo's count of refused calls says all six
        // arrived and were refused (awaited, so the state below is read after them, not after a guessed delay).
        await Eventually.UntilAsync(() => Task.FromResult(refusals.Count - refusedBefore >= 6), "the silo to refuse the six forged calls");
        Assert.Equal(before, await SnapshotAsync(victim.Address));
        Assert.Equal(0UL, (await _fixture.Grains.GetGrain<IAccountGrain>(thief.Address).GetAsync()).Balance);
        Assert.True((await Silo.GetGrain<IChainGrain>(IChainGrain.Key).AuditAsync()).Ok);
    }

    [Fact]
    public async Task SilosOwnCalls_CarryTheProof_AndReadsStayOpenToClients()
    {
        var chain = Silo.GetGrain<IChainGrain>(IChainGrain.Key);
        ulong block = await chain.ProduceBlocksAsync(1);
        Assert.True((await chain.AuditAsync()).Ok);
        Assert.Equal(block, (await _fixture.Chain.GetInfoAsync()).Block);
        Assert.True((await _fixture.Grains.GetGrain<ISubnetGrain>(0).GetWeightsAsync()).IsEmpty);
        Assert.False((await _fixture.Chain.GetSubnetsAsync()).IsDefault);
    }

    /// <summary>The allow-list is a reviewed list: a new client-facing method is a deliberate change here.</summary>
    [Fact]
    public void AllowList_IsExactlyTheClientFacingSurface()
    {
        var open = new[] { typeof(IChainGrain).Assembly, typeof(ChainOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods().Where(m => !m.IsStatic))
            .Where(SiloOriginFilter.IsClientCallable)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "IAccountGrain.GetAsync", "IAccountGrain.GetAtAsync", "IBlockLog.GetBlockAsync", "IBlockLog.GetBlocksAsync", "IBlockLog.GetStatusAsync",
            "IBlockLog.ReadEventsAsync", "IBlockLog.StreamEventsAsync", "IChainGrain.GetInfoAsync", "IChainGrain.GetStatsAsync", "IChainGrain.GetSubnetInfoAsync",
            "IChainGrain.GetSubnetsAsync", "IEpochRecordGrain.GetAsync", "IHotkeyGrain.GetAsync", "IHotkeyGrain.GetAtAsync", "IMinerGrain.DispatchAsync",
            "IMinerGrain.GetSubscriptionNonceAsync", "IMinerGrain.SubscribeAsync", "ISubnetGrain.GetChildkeysAsync", "ISubnetGrain.GetCommitsAsync", "ISubnetGrain.GetEpochsAsync",
            "ISubnetGrain.GetInfoAsync", "ISubnetGrain.GetMatrixAsync", "ISubnetGrain.GetMetagraphAsync", "ISubnetGrain.GetMetagraphAtAsync",
            "ISubnetGrain.GetWeightsAsync", "ITransactionIndex.GetAsync",
            "ITransactionsGrain.PreflightAsync", "ITransactionsGrain.SubmitAsync",
        ], open);
        Assert.False(SiloOriginFilter.IsClientCallable(typeof(IManagementGrain).GetMethods().First(m => m.Name == nameof(IManagementGrain.GetHosts))));
    }

    private async Task FundAsync(string address, ulong amount)
    {
        var r = await Silo.GetGrain<IChainGrain>(IChainGrain.Key).ExecuteAsync(new Faucet { Signer = address, Amount = amount });
        Assert.True(r.Ok, r.Message);
    }

    private async Task<(ulong Block, ulong Balance, ulong Issuance)> SnapshotAsync(string address)
    {
        var info = await _fixture.Chain.GetInfoAsync();
        var account = await _fixture.Grains.GetGrain<IAccountGrain>(address).GetAsync();
        return (info.Block, account.Balance, info.TotalIssuance);
    }

    private static object OutsideRuntimeClient(IGrainFactory client)
    {
        var type = typeof(IClusterClient).Assembly.GetType("Orleans.OutsideRuntimeClient", throwOnError: true)!;
        return ((IClusterClient)client).ServiceProvider.GetRequiredService(type);
    }
}

/// <summary>Two silos of one cluster prove their calls to each other (grain and runtime calls), so the cluster works default-deny.</summary>
public sealed class TwoSiloGatewayTests
{
    [Fact]
    public async Task TwoSilos_ServeCallsAcrossSilos_AndStillRefuseClients()
    {
        var builder = new Orleans.TestingHost.InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(host.Configuration, new Dictionary<string, string?>
        {
            ["Chain:Id"] = "test", ["Chain:Faucet"] = "true", ["Chain:AutoStart"] = "false", ["Chain:EpochWait"] = "00:00:20",
            ["Chain:GenesisIssuance"] = ClusterFixture.Genesis.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ClusterSecret.Key] = new string('s', 40),
        }));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Chain);
            silo.Services.AddBittensorGrains();
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        foreach (var handle in cluster.Silos)
        {
            var silo = handle.ServiceProvider.GetRequiredService<IGrainFactory>();
            for (int i = 0; i < 8; i++)
            {
                using var key = KeyPair.Generate();
                var r = await silo.GetGrain<IChainGrain>(IChainGrain.Key).ExecuteAsync(new Faucet { Signer = key.Address, Amount = Tao.Rao });
                Assert.True(r.Ok, r.Message);
                Assert.Equal(Tao.Rao, (await cluster.Client.GetGrain<IAccountGrain>(key.Address).GetAsync()).Balance);
            }
            await silo.GetGrain<IChainGrain>(IChainGrain.Key).ProduceBlocksAsync(2);
            Assert.True((await silo.GetGrain<IChainGrain>(IChainGrain.Key).AuditAsync()).Ok);
            Assert.Equal(2, (await silo.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);
        }
        await Assert.ThrowsAnyAsync<UnauthorizedAccessException>(() => cluster.Client.GetGrain<IChainGrain>(IChainGrain.Key).ProduceBlocksAsync(1));
    }
}
