using System.Collections.Immutable;
using Bittensor.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The chain's store: its state is one part kept in the head, each journaled batch a part written once, so a block's
/// write does not serialize again the batches still being applied (an epoch landing's hundreds of stake changes).
/// </summary>
public sealed class JournaledStateTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(ChainState).Assembly).AddAssembly(typeof(ChunkedStore).Assembly))
        .BuildServiceProvider().GetRequiredService<Serializer>();

    private static readonly GrainId Chain = GrainId.Create("chain", "0");

    private static Batch Landing(long seq, int hotkeys) => new(seq, (ulong)seq, [.. Enumerable.Range(0, hotkeys).Select(i =>
        (GrainCommand)new HotkeyCommand($"hotkey-{i:d5}-{new string('x', 40)}", new HotkeyChange { Stakes = [new StakeDelta(1, $"coldkey-{i:d5}", 1_000 + i)] }))]);

    private static Batch Small(long seq) => new(seq, (ulong)seq, [new AccountCommand("alice", new AccountChange(-1))]);

    private static ChainState State(ulong block, params Batch[] journal) => new()
    {
        Initialized = true, Block = block, TotalIssuance = 42, Seq = journal.Length == 0 ? 0 : journal[^1].Seq, Journal = [.. journal],
        Subnets = Enumerable.Range(1, 32).ToDictionary(n => (ushort)n, n => new SubnetEconomy { Netuid = (ushort)n, OwnerColdkey = new string('c', 48), OwnerHotkey = new string('h', 48) }),
    };

    [Fact]
    public async Task EachBatchIsWrittenOnce_TheStateStaysInTheHead_AndApplyingABatchDropsIt()
    {
        var storage = new CountingStorage();
        var store = new JournaledState(new ChunkedStore(storage, "chain", Chain, JournaledState.InlineLimit), Serializer);
        var landing = Landing(1, 300);
        await store.WriteAsync(State(1, landing));
        long landingBytes = Serializer.SerializeToArray(landing).Length;
        Assert.True(landingBytes > ChunkedStore.InlinePartBytes, $"the landing batch should be a chunk ({landingBytes} bytes)");
        Assert.Equal(2, storage.Writes); // the landing's chunk and the head

        // Blocks while the landing is being applied: one head write each, which does not carry the landing again.
        for (int block = 2; block <= 5; block++)
        {
            storage.Reset();
            await store.WriteAsync(State((ulong)block, landing, Small(block)));
            Assert.Equal(1, storage.Writes);
            Assert.True(storage.BytesWritten < landingBytes, $"block {block} wrote {storage.BytesWritten} bytes; the landing alone is {landingBytes}");
        }

        // The landing is applied: its part and chunk go; what is read back is the journal as last written.
        storage.Reset();
        await store.WriteAsync(State(6, Small(5), Small(6)));
        Assert.Equal(1, storage.Deletes);
        var reread = new JournaledState(new ChunkedStore(storage, "chain", Chain, JournaledState.InlineLimit), Serializer);
        await reread.ReadAsync();
        Assert.Equal(6UL, reread.State.Block);
        Assert.Equal(32, reread.State.Subnets.Count);
        Assert.Equal([5L, 6L], reread.State.Journal.Select(b => b.Seq));
        Assert.Equal(1, storage.Entities); // the head alone: the state and the small batches are inline, the landing chunk is gone
    }

    [Fact]
    public async Task AFailedWrite_KeepsTheLastStoredJournal_AndTheNextWriteStoresTheBatchItMissed()
    {
        var storage = new CountingStorage();
        var store = new JournaledState(new ChunkedStore(storage, "chain", Chain, JournaledState.InlineLimit), Serializer);
        await store.WriteAsync(State(1, Small(1)));
        storage.FailWrites = true;
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(State(2, Small(1), Landing(2, 300))));
        storage.FailWrites = false;
        await store.WriteAsync(State(3, Small(1), Landing(2, 300), Small(3)));
        var reread = new JournaledState(new ChunkedStore(storage, "chain", Chain, JournaledState.InlineLimit), Serializer);
        await reread.ReadAsync();
        Assert.Equal([1L, 2L, 3L], reread.State.Journal.Select(b => b.Seq));
        Assert.Equal(300, reread.State.Journal[1].Commands.Length);
    }

    /// <summary>Grain storage in a dictionary, as bytes through Orleans' serializer, counting writes, bytes and deletes.</summary>
    private sealed class CountingStorage : IGrainStorage
    {
        private readonly Dictionary<string, (byte[] Data, string ETag)> _entities = [];
        private int _etag;

        public int Writes { get; private set; }
        public long BytesWritten { get; private set; }
        public int Deletes { get; private set; }
        public int Entities => _entities.Count;
        public bool FailWrites { get; set; }

        public void Reset() => (Writes, BytesWritten, Deletes) = (0, 0, 0);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_entities.TryGetValue(stateName, out var e))
            {
                grainState.State = Serializer.Deserialize<T>(e.Data);
                grainState.ETag = e.ETag;
                grainState.RecordExists = true;
            }
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (FailWrites) throw new IOException("injected");
            if (_entities.TryGetValue(stateName, out var e) && e.ETag != grainState.ETag) throw new InconsistentStateException("etag", e.ETag, grainState.ETag);
            byte[] data = Serializer.SerializeToArray(grainState.State);
            string etag = (++_etag).ToString();
            _entities[stateName] = (data, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
            Writes++;
            BytesWritten += data.Length;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_entities.Remove(stateName)) Deletes++;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
