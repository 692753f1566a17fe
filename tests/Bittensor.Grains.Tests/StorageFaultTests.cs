using Bittensor.Grains.Storage;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Storage faults pause the chain and never corrupt it: a failed write changes nothing (or is applied later, once), reads
/// go on, and production resumes by itself with nothing lost and nothing applied twice. Each test has its own cluster.
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?>());

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    private StorageFaults Faults => _fixture.Faults;

    [Fact]
    public async Task FailedJournalWrite_ChangesNothing_AndTheNextCallSucceeds()
    {
        var net = new Network(_fixture, "journal");
        await net.Fund(net.Key("a"), 100);
        Faults.FailNthWrite(1); // the chain's journal write of the next call
        var r = await net.Chain.ExecuteAsync(new Transfer { Signer = net.Key("a"), Dest = net.Key("b"), Amount = 5 * Tao.Rao });
        Assert.Equal(Codes.StorageUnavailable, r.Code);
        Assert.Equal(100 * Tao.Rao, await net.Balance(net.Key("a")));
        Assert.Equal(0UL, await net.Balance(net.Key("b")));
        await net.Ok(new Transfer { Signer = net.Key("a"), Dest = net.Key("b"), Amount = 5 * Tao.Rao });
        Assert.Equal(95 * Tao.Rao, await net.Balance(net.Key("a")));
        Assert.Equal(5 * Tao.Rao, await net.Balance(net.Key("b")));
        await net.AssertAudit();
    }

    [Fact]
    public async Task FailedGrainWrite_AfterTheJournal_IsAppliedLaterExactlyOnce()
    {
        var net = new Network(_fixture, "apply");
        await net.Fund(net.Key("a"), 100);
        // Write 1 is the journal; writes 2.. are the grains' (account a, account b, index shards): fail one of them.
        for (int n = 2; n <= 4; n++)
        {
            Faults.FailNthWrite(n);
            var r = await net.Chain.ExecuteAsync(new Transfer { Signer = net.Key("a"), Dest = net.Key("b"), Amount = Tao.Rao });
            Assert.True(r.Ok, $"write #{n}: a journaled transfer is acknowledged: {r.Code} {r.Message}");
        }
        // The next call applies whatever is still pending before anything else; nothing is applied twice.
        await net.Chain.ProduceBlocksAsync(1);
        Assert.Equal(97 * Tao.Rao, await net.Balance(net.Key("a")));
        Assert.Equal(3 * Tao.Rao, await net.Balance(net.Key("b")));
        await net.AssertAudit();
    }

    [Fact]
    public async Task StorageDown_PausesWrites_KeepsReads_AndResumesByItself()
    {
        var net = new Network(_fixture, "down");
        string owner = net.Key("owner");
        ushort netuid = await _fixture.CreateSubnetAsync(owner, net.Key("owner-hot"));
        await net.Fund(net.Key("a"), 10);
        ulong block = await net.Chain.ProduceBlocksAsync(2);

        Faults.Fail(reads: true, writes: true);
        var refused = await net.Chain.ExecuteAsync(new Transfer { Signer = net.Key("a"), Dest = net.Key("b"), Amount = Tao.Rao });
        Assert.Equal(Codes.StorageUnavailable, refused.Code);
        await Assert.ThrowsAnyAsync<Exception>(() => net.Chain.ProduceBlocksAsync(1));
        // Reads are served from published state while storage is down.
        Assert.Equal(block, (await net.Chain.GetInfoAsync()).Block);
        Assert.NotNull(await net.Chain.GetSubnetInfoAsync(netuid));
        var stats = await net.Chain.GetStatsAsync();
        Assert.True(stats.Paused, "the chain reports that it is paused");

        Faults.Heal();
        Assert.Equal(block + 3, await net.Chain.ProduceBlocksAsync(3));
        Assert.False((await net.Chain.GetStatsAsync()).Paused);
        await net.Ok(new Transfer { Signer = net.Key("a"), Dest = net.Key("b"), Amount = Tao.Rao });
        Assert.Equal(9 * Tao.Rao, await net.Balance(net.Key("a")));
        await net.AssertAudit();
    }

    [Fact]
    public async Task EveryAcknowledgedWrite_Survives_RandomWriteFailures_AndTheAuditHolds()
    {
        var net = new Network(_fixture, "random");
        string owner = net.Key("owner");
        ushort netuid = await _fixture.CreateSubnetAsync(owner, net.Key("owner-hot"));
        await net.Ok(new BurnedRegister { Signer = owner, Netuid = netuid, Hotkey = net.Key("miner") });
        var accounts = Enumerable.Range(0, 4).Select(i => net.Key($"acct{i}")).ToArray();
        foreach (var a in accounts) await net.Fund(a, 50);
        var expected = accounts.ToDictionary(a => a, _ => 50 * Tao.Rao);
        var random = new Random(7);
        int acknowledged = 0, refused = 0;
        for (int i = 0; i < 60; i++)
        {
            if (i % 3 == 0) Faults.FailNthWrite(1 + random.Next(6));
            string from = accounts[random.Next(4)], to = accounts[random.Next(4)];
            ulong amount = (ulong)random.Next(1, 1000) * 1_000_000;
            var r = await net.Chain.ExecuteAsync(new Transfer { Signer = from, Dest = to, Amount = amount });
            if (r.Ok)
            {
                acknowledged++;
                expected[from] -= amount;
                expected[to] += amount;
            }
            else
            {
                Assert.Equal(Codes.StorageUnavailable, r.Code);
                refused++;
            }
            if (i % 5 == 0)
                try { await net.Chain.ProduceBlocksAsync(1); }
                catch (StorageUnavailableException) { } // a paused block is simply produced later
        }
        Faults.Heal();
        await net.Chain.ProduceBlocksAsync(12); // past an epoch: emission and stake also survive the faults
        Assert.True(acknowledged > 0 && refused > 0, $"{acknowledged} acknowledged, {refused} refused");
        foreach (var (account, balance) in expected) Assert.Equal(balance, await net.Balance(account));
        await net.AssertAudit();
    }
}
