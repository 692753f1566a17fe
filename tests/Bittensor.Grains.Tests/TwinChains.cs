using Bittensor.Runtime;

namespace Bittensor.Grains.Tests;

/// <summary>The grains' chain and its in-memory twin driven in step: every operation and every block on both.</summary>
public sealed class TwinChains(Network net, InMemoryChain memory)
{
    /// <summary>Runs <paramref name="op"/> on both; it must succeed on the grains, with the same outcome in memory.</summary>
    public async Task BothAsync(Operation op)
    {
        var onGrains = await net.Chain.ExecuteAsync(op);
        var inMemory = await memory.ExecuteAsync(op);
        Assert.True(onGrains.Ok, $"{op.GetType().Name}: {onGrains.Code} {onGrains.Message}");
        Assert.Equal(onGrains, inMemory);
    }

    /// <summary>Produces <paramref name="count"/> blocks on both, one at a time (optionally checking in-memory conservation after each).</summary>
    public async Task BlocksAsync(int count, bool checkConservation)
    {
        for (int i = 0; i < count; i++)
        {
            await net.Chain.ProduceBlocksAsync(1);
            await memory.ProduceBlockAsync();
            if (checkConservation) Assert.True(memory.Conserved(), $"in-memory conservation at block {memory.State.Block}");
        }
    }
}
