namespace Bittensor.Grains.Tests;

/// <summary>A journaled batch applies at most once per grain, so re-applying it after a failure cannot double-count.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ReappliedBatch_ChangesNothing()
    {
        var account = fixture.Grains.GetGrain<IAccountLedger>("idem-account");
        long seq = (await account.GetStateAsync()).LastSeq + 1_000_000;
        await account.ApplyAsync(seq, 1, [new AccountChange(5)]);
        await account.ApplyAsync(seq, 1, [new AccountChange(5)]);
        await account.ApplyAsync(seq - 1, 1, [new AccountChange(5)]);
        Assert.Equal(5UL, (await account.GetStateAsync()).Balance);
    }
}

/// <summary>The network's subnet limit, on a cluster of its own configured for two subnets.</summary>
public sealed class SubnetLimitTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?> { ["Chain:MaxSubnets"] = "2" });

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task ThirdSubnet_IsRejected_AndChangesNothing()
    {
        var net = new Network(_fixture, "limit");
        await net.Fund(net.Key("owner"), 5_000);
        await net.Chain.ProduceBlocksAsync(1); // at block 0 the lock cost does not double (last_lock_block = 0)
        await net.Ok(new RegisterNetwork { Signer = net.Key("owner"), Hotkey = net.Key("a") });
        await net.Ok(new RegisterNetwork { Signer = net.Key("owner"), Hotkey = net.Key("b") });
        ulong before = await net.Balance(net.Key("owner"));
        var r = await net.Chain.ExecuteAsync(new RegisterNetwork { Signer = net.Key("owner"), Hotkey = net.Key("c") });
        Assert.Equal("TooManySubnets", r.Code);
        Assert.Equal(before, await net.Balance(net.Key("owner")));
        Assert.Equal(2, (await net.Chain.GetSubnetsAsync()).Length);
        // The lock cost doubled with the second creation.
        var info = await net.Chain.GetInfoAsync();
        Assert.True(info.NetworkLockCost > 100 * Tao.Rao);
        await net.AssertAudit();
    }
}
