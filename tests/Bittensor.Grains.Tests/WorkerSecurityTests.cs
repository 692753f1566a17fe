using System.Collections.Immutable;
using Bittensor.Keys;
using Bittensor.Subnets;
using Bittensor.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bittensor.Grains.Tests;

/// <summary>Workers cannot be stalled or hijacked: bad miners fail only their own score; challenges are bound to their miner and expiry.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerSecurityTests(ClusterFixture fixture)
{
    private readonly List<object> _alive = []; // observers must stay referenced while subscribed

    [Fact]
    public async Task ValidatorRound_SurvivesThrowingHangingAndGarbageMiners_AndScoresThemZero()
    {
        var (netuid, honest, backend) = await SubnetWithHonestMinerAsync();
        using var _ = backend;
        var bad = new Dictionary<string, string>
        {
            [await SubscribeAsync(netuid, new Throwing())] = "throws",
            [await SubscribeAsync(netuid, new Hanging())] = "hangs",
            [await SubscribeAsync(netuid, new Garbage(wrongLength: true))] = "wrong length",
            [await SubscribeAsync(netuid, new Garbage(wrongLength: false))] = "NaN",
            [await SubscribeAsync(netuid, new Impersonating(honest.Hotkey))] = "impersonates",
            [await SubscribeAsync(netuid, new RightValues(signer: null))] = "answers right but unsigned",
            [await SubscribeAsync(netuid, new RightValues(signer: KeyPair.Generate()))] = "answers right, signed by another key",
            [await SubscribeAsync(netuid, new RightValues(signer: null, replay: true))] = "replays a signed answer to another challenge",
        };
        var validator = await ValidatorAsync(netuid);
        await fixture.Chain.ProduceBlocksAsync(12); // an epoch: the validator gets its permit

        await validator.RoundAsync();
        Assert.True(validator.LastRound[honest.Hotkey] > 0);
        foreach (var (hotkey, behaviour) in bad) Assert.True(validator.LastRound[hotkey] == 0, $"a miner that {behaviour} scored {validator.LastRound[hotkey]}");
        Assert.True(await validator.MaybeSetWeightsAsync());
    }

    [Fact]
    public async Task Challenges_AreBoundToTheirMiner_Expiry_AndEveryField()
    {
        var (netuid, honest, backend) = await SubnetWithHonestMinerAsync();
        using var _ = backend;
        await fixture.Chain.ProduceBlocksAsync(12);
        var grain = fixture.Grains.GetGrain<IMinerGrain>(honest.Hotkey);
        var task = SubnetTasks.Get("matmul");
        var ownerHot = _ownerHot!;
        var good = ChainClient.Sign(task.CreateChallenge(7, netuid, ownerHot.Address), ownerHot, honest.Hotkey, TimeSpan.FromMinutes(1));
        Assert.NotNull(await grain.DispatchAsync(good, TimeSpan.FromSeconds(5)));

        Assert.Null(await fixture.Grains.GetGrain<IMinerGrain>(KeyPair.Generate().Address).DispatchAsync(good, TimeSpan.FromSeconds(1))); // addressed to another miner
        Assert.Null(await grain.DispatchAsync(good with { Miner = "" }, TimeSpan.FromSeconds(5)));
        Assert.Null(await grain.DispatchAsync(ChainClient.Sign(task.CreateChallenge(7, netuid, ownerHot.Address), ownerHot, honest.Hotkey, TimeSpan.FromMinutes(-1)), TimeSpan.FromSeconds(5))); // expired
        Assert.Null(await grain.DispatchAsync(good with { Seed = 8 }, TimeSpan.FromSeconds(5)));
        Assert.Null(await grain.DispatchAsync(good with { Data = [1.0] }, TimeSpan.FromSeconds(5)));
        Assert.Null(await grain.DispatchAsync(good with { ExpiresUnixMs = good.ExpiresUnixMs + 60_000 }, TimeSpan.FromSeconds(5)));
        var huge = ChainClient.Sign(task.CreateChallenge(7, netuid, ownerHot.Address) with { Size = Challenge.MaxSize + 1 }, ownerHot, honest.Hotkey, TimeSpan.FromMinutes(1));
        Assert.Null(await grain.DispatchAsync(huge, TimeSpan.FromSeconds(5))); // never reaches the miner's allocator
    }

    private KeyPair? _ownerHot;

    private async Task<(ushort, MinerWorker, CpuBackend)> SubnetWithHonestMinerAsync()
    {
        var owner = KeyPair.Generate();
        _ownerHot = KeyPair.Generate();
        ushort netuid = await fixture.CreateSubnetAsync(owner.Address, _ownerHot.Address);
        foreach (var (name, value) in new[] { ("task", "matmul"), ("weights_rate_limit", "0") })
            Assert.True((await fixture.Chain.ExecuteAsync(new SetHyperparameter { Signer = owner.Address, Netuid = netuid, Name = name, Value = value })).Ok);
        var backend = new CpuBackend();
        var cold = await FundedAsync(20);
        var honest = new MinerWorker(fixture.Grains, cold, KeyPair.Generate(), netuid, "honest", "miner-honest-0", backend, NullLogger.Instance);
        await honest.RegisterAsync();
        await honest.SubscribeAsync();
        _alive.Add(honest);
        return (netuid, honest, backend);
    }

    private async Task<ValidatorWorker> ValidatorAsync(ushort netuid)
    {
        var validator = new ValidatorWorker(fixture.Grains, await FundedAsync(200), KeyPair.Generate(), netuid, "honest", "validator-honest-0", NullLogger.Instance)
        {
            WeightsEveryBlocks = 1, Timeout = TimeSpan.FromSeconds(1),
        };
        await validator.RegisterAsync(100);
        return validator;
    }

    /// <summary>Registers a new hotkey on the subnet and subscribes <paramref name="observer"/> as its miner; returns the hotkey.</summary>
    private async Task<string> SubscribeAsync(ushort netuid, IMinerObserver observer)
    {
        var hot = KeyPair.Generate();
        var worker = new MinerWorker(fixture.Grains, await FundedAsync(20), hot, netuid, "honest", "miner-bad", new CpuBackend(), NullLogger.Instance);
        await worker.RegisterAsync();
        var reference = fixture.Grains.CreateObjectReference<IMinerObserver>(observer);
        _alive.Add(observer);
        Assert.True(await ChainClient.SubscribeAsync(fixture.Grains, hot, reference));
        return hot.Address;
    }

    private async Task<KeyPair> FundedAsync(ulong tao)
    {
        var key = KeyPair.Generate();
        Assert.True((await fixture.Chain.ExecuteAsync(new Faucet { Signer = key.Address, Amount = tao * Tao.Rao })).Ok);
        return key;
    }

    private sealed class Throwing : IMinerObserver
    {
        public Task<Answer?> SolveAsync(Challenge challenge) => throw new ArgumentException("bad miner");
    }

    private sealed class Hanging : IMinerObserver
    {
        public async Task<Answer?> SolveAsync(Challenge challenge)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan);
            return null;
        }
    }

    private sealed class Garbage(bool wrongLength) : IMinerObserver
    {
        public Task<Answer?> SolveAsync(Challenge challenge) => Task.FromResult<Answer?>(new Answer(
            wrongLength ? [1f, 2f, 3f] : [.. Enumerable.Repeat(float.NaN, challenge.Size * challenge.Size)], challenge.Miner));
    }

    /// <summary>The correct values, with a signature that is missing, by another key, or from another challenge.</summary>
    private sealed class RightValues(KeyPair? signer, bool replay = false) : IMinerObserver
    {
        private Answer? _last;

        public Task<Answer?> SolveAsync(Challenge challenge)
        {
            ImmutableArray<float> values = [.. SubnetTasks.Get(challenge.Task).Solve(challenge, new CpuBackend(), "ar")];
            if (replay)
            {
                // Signs with a key of its own for the first challenge it sees, then sends that answer's signature again.
                var previous = _last;
                _last = ChainClient.SignAnswer(challenge, values, KeyPair.Generate()) with { Miner = challenge.Miner };
                return Task.FromResult<Answer?>(previous is null ? null : new Answer(values, challenge.Miner, previous.Signature));
            }
            return Task.FromResult<Answer?>(signer is null ? new Answer(values, challenge.Miner) : ChainClient.SignAnswer(challenge, values, signer) with { Miner = challenge.Miner });
        }
    }

    private sealed class Impersonating(string other) : IMinerObserver
    {
        public Task<Answer?> SolveAsync(Challenge challenge) => Task.FromResult<Answer?>(new Answer([], other));
    }
}
