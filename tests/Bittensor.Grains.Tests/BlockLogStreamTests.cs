using Bittensor.Keys;
using Bittensor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The event stream for Orleans clients (<see cref="IBlockLog.StreamEventsAsync"/>), called by an external client through
/// the gateway's allow-list (clients are not trusted here): every event exactly once across a reconnect from the last id,
/// and filters as the REST stream applies them.
/// </summary>
public sealed class BlockLogStreamTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?> { ["Chain:TrustClients"] = "false" });

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    /// <summary>The silo's own grain factory: it drives the chain (a client may not).</summary>
    private IChainGrain Chain => _fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IChainGrain>(IChainGrain.Key);

    private IBlockLog Log => _fixture.Grains.GetGrain<IBlockLog>(IBlockLog.Key);

    [Fact]
    public async Task OrleansStream_DeliversEveryEventOnce_AcrossAReconnectFromTheLastId()
    {
        var (alice, bob) = (KeyPair.Generate().Address, KeyPair.Generate().Address);
        await Ok(new Faucet { Signer = alice, Amount = 1_000 * Tao.Rao });
        await Ok(new Faucet { Signer = bob, Amount = 1_000 * Tao.Rao });
        await RunAsync(alice, bob, 60);

        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        var received = new List<long>();
        // The first subscription reads 50 events and stops (its enumeration is disposed: the connection is gone).
        await foreach (var e in Log.StreamEventsAsync(0, new EventFilter(), deadline.Token))
        {
            received.Add(e.Id);
            if (received.Count == 50) break;
        }
        await RunAsync(bob, alice, 60);
        long last = (await Log.GetStatusAsync()).LastEventId;
        Assert.Equal(2 + 120, last); // two faucets, a transfer in each of 120 blocks

        // It resumes after the last id it got, while the chain goes on, and reads to the end of the run.
        var resumed = Task.Run(async () =>
        {
            await foreach (var e in Log.StreamEventsAsync(received[^1], new EventFilter(), deadline.Token))
            {
                received.Add(e.Id);
                if (e.Id == last) break;
            }
        });
        await resumed.WaitAsync(Eventually.Deadline);
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), received);
        var all = await Log.ReadEventsAsync(0, new EventFilter(), 10_000, TimeSpan.Zero);
        Assert.Equal(received, all.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task OrleansStream_AppliesKindAndAccountFilters_AndDeliversLiveEvents()
    {
        var (alice, bob, carol) = (KeyPair.Generate().Address, KeyPair.Generate().Address, KeyPair.Generate().Address);
        await Ok(new Faucet { Signer = alice, Amount = 1_000 * Tao.Rao });
        await Ok(new Faucet { Signer = carol, Amount = 1_000 * Tao.Rao });
        long start = (await Log.GetStatusAsync()).LastEventId;
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        var filter = new EventFilter { Kinds = [EventKinds.Transfer], Account = bob };
        // Subscribed before the events happen: they arrive live.
        var reading = Task.Run(async () =>
        {
            var got = new List<ChainEvent>();
            await foreach (var e in Log.StreamEventsAsync(start, filter, deadline.Token))
            {
                got.Add(e);
                if (got.Count == 10) break;
            }
            return got;
        });
        for (int i = 0; i < 10; i++)
        {
            await Ok(new Transfer { Signer = alice, Dest = bob, Amount = Tao.Rao + (ulong)i });
            await Ok(new Transfer { Signer = carol, Dest = alice, Amount = Tao.Rao }); // names neither bob nor passes as his
            await Chain.ProduceBlocksAsync(1);
        }
        var got = await reading.WaitAsync(Eventually.Deadline);
        Assert.All(got, e => Assert.Equal((EventKinds.Transfer, alice, bob), (e.Kind, e.Coldkey, e.DestColdkey)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Tao.Rao + (ulong)i), got.Select(e => e.Tao!.Value));
    }

    private async Task RunAsync(string from, string to, int blocks)
    {
        for (int i = 0; i < blocks; i++)
        {
            await Ok(new Transfer { Signer = from, Dest = to, Amount = Tao.Rao / 10 });
            await Chain.ProduceBlocksAsync(1);
        }
    }

    private async Task Ok(Operation op)
    {
        var r = await Chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
    }
}
