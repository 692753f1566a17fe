using Bittensor.Testing;
using Bittensor.Keys;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Timelocked weights on a real cluster agree with the runtime's in-memory twin: the same commits are queued, revealed in
/// the same block and pay the same epoch outputs, and the two state hashes match.
/// </summary>
public sealed class TimelockTwinTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?>());

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task TimelockedCommits_RevealAlike_InMemoryAndOnGrains()
    {
        var net = new Network(_fixture, "tlock");
        var rules = TestChain.Rules;
        var memory = new InMemoryChain(rules, ClusterFixture.Genesis);
        var beacon = HashChainBeacon.For(rules);
        string owner = net.Key("owner"), ownerHot = net.Key("owner-hot");
        const ushort netuid = 1;
        var validators = Enumerable.Range(0, 2).Select(i => (Cold: net.Key($"v{i}"), Hot: net.Key($"v{i}-hot"))).ToArray();
        var miners = Enumerable.Range(0, 3).Select(i => (Cold: net.Key($"m{i}"), Hot: net.Key($"m{i}-hot"))).ToArray();

        var twin = new TwinChains(net, memory);
        Task Both(Operation op) => twin.BothAsync(op);
        Task Blocks(int count) => twin.BlocksAsync(count, checkConservation: false);

        await Both(new Faucet { Signer = owner, Amount = 5_000 * Tao.Rao });
        await Blocks(1);
        await Both(new RegisterNetwork { Signer = owner, Hotkey = ownerHot });
        await Both(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "weights_rate_limit", Value = "0" });
        foreach (var (cold, hot) in validators.Concat(miners))
        {
            await Both(new Faucet { Signer = cold, Amount = 300 * Tao.Rao });
            await Both(new BurnedRegister { Signer = cold, Netuid = netuid, Hotkey = hot });
        }
        foreach (var (cold, hot) in validators) await Both(new AddStake { Signer = cold, Hotkey = hot, Netuid = netuid, Amount = 50 * Tao.Rao });
        await Blocks(12); // an epoch hands out validator permits
        await Both(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "commit_reveal_weights_enabled", Value = "true" });
        var uids = miners.Select(m => (ushort)memory.Subnet(netuid)!.UidOf(m.Hot)).ToArray();
        ulong block = memory.State.Block;
        for (int v = 0; v < validators.Length; v++)
        {
            ulong round = block + 14 + (ulong)v;
            byte[] payload = TimelockPayload.For(validators[v].Hot, uids, [.. uids.Select((_, k) => (ushort)(100 + 400 * ((k + v) % 3)))], 0).Encode();
            await Both(new CommitTimelockedWeights
            {
                Signer = validators[v].Hot, Netuid = netuid, Commit = TimelockCipher.Encrypt(beacon.PublicKey(round), round, payload),
                RevealRound = round, CommitRevealVersion = TimelockReveal.CommitRevealVersion,
            });
        }
        Assert.Equal(memory.StateHash(), await net.Chain.StateHashAsync()); // the queue is part of the state hash
        await Blocks(40);

        Assert.Empty(memory.State.Subnets[netuid].Timelocked);
        var roster = memory.Subnet(netuid)!;
        foreach (var (_, hot) in validators) Assert.Equal(uids, roster.Neurons[roster.UidOf(hot)].WeightColumns);
        Assert.Contains(roster.Neurons, n => n.Incentive > 0);
        Assert.Equal(memory.StateHash(), await net.Chain.StateHashAsync());
        await net.AssertAudit();
    }
}
