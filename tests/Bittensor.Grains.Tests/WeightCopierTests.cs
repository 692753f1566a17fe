using Bittensor.Testing;
using System.Collections.Immutable;
using Bittensor.Keys;
using Bittensor.Workers;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The weight copier's payoff (issue 11, part 5), on the pure runtime (<see cref="InMemoryChain"/>, deterministic): two
/// honest validators follow miners whose quality moves (the best miner changes every other epoch) and a copier with
/// exactly the stake of the second honest one copies the public weights of the largest other validator with
/// <see cref="WeightCopier.Copy"/>, as the <c>weight-copier</c> worker does. On a commit-reveal subnet the public weights
/// are the revealed ones, a reveal period old, so the copier earns less than the honest validator; with commit-reveal
/// off it copies weights the moment they are set and earns as much.
/// </summary>
public sealed class WeightCopierTests(ITestOutputHelper output)
{
    private const ushort Netuid = 1;
    private const ulong Tempo = 10;
    private const int Miners = 4, Epochs = 40;

    /// <summary>Alpha earned by the honest validator and the copier of equal stake over <see cref="Epochs"/> epochs.</summary>
    private sealed record Payoff(ulong Honest, ulong Copier)
    {
        public double Ratio => (double)Copier / Honest;
    }

    private sealed class Run
    {
        public required InMemoryChain Chain { get; init; }
        public required KeyPair[] Honest { get; init; }
        public required KeyPair Copier { get; init; }
        public required string[] Miners { get; init; }
        public SubnetState Subnet => Chain.Subnet(Netuid)!;
        public ulong EpochIndex => Chain.State.Subnets[Netuid].EpochIndex;
        public ushort Uid(string hotkey) => (ushort)Subnet.UidOf(hotkey);
        public ulong Stake(KeyPair hotkey) => Subnet.Neurons[Uid(hotkey.Address)].Stake;
    }

    private static async Task<OpResult> Ok(InMemoryChain chain, Operation op)
    {
        var r = await chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        return r;
    }

    /// <summary>
    /// Owner, three validators of one coldkey (the stake split exactly: honest-0 keeps the odd rao so that it is the
    /// largest, the one copied; honest-1 and the copier hold the same alpha), four miners; every validator has a permit.
    /// </summary>
    private static async Task<Run> BuildAsync(bool commitReveal)
    {
        var chain = new InMemoryChain(TestChain.Rules with { Id = "copier", NewSubnetTempo = Tempo }, ClusterFixture.Genesis) { RecordEvents = false };
        var run = new Run
        {
            Chain = chain, Honest = [KeyPair.Generate(), KeyPair.Generate()], Copier = KeyPair.Generate(),
            Miners = [.. Enumerable.Range(0, Miners).Select(_ => KeyPair.Generate().Address)],
        };
        string owner = KeyPair.Generate().Address, cold = KeyPair.Generate().Address;
        await Ok(chain, new Faucet { Signer = owner, Amount = 5_000 * Tao.Rao });
        await chain.ProduceBlockAsync();
        await Ok(chain, new RegisterNetwork { Signer = owner, Hotkey = KeyPair.Generate().Address });
        await Ok(chain, new SetHyperparameter { Signer = owner, Netuid = Netuid, Name = "weights_rate_limit", Value = "0" });
        await Ok(chain, new Faucet { Signer = cold, Amount = 5_000 * Tao.Rao });
        KeyPair[] validators = [.. run.Honest, run.Copier];
        foreach (var v in validators) await Ok(chain, new BurnedRegister { Signer = cold, Netuid = Netuid, Hotkey = v.Address });
        foreach (string miner in run.Miners)
        {
            await Ok(chain, new Faucet { Signer = miner, Amount = 10 * Tao.Rao });
            await Ok(chain, new BurnedRegister { Signer = miner, Netuid = Netuid, Hotkey = miner });
        }
        await Ok(chain, new AddStake { Signer = cold, Hotkey = run.Honest[0].Address, Netuid = Netuid, Amount = 3_000 * Tao.Rao });
        ulong third = run.Stake(run.Honest[0]) / 3;
        foreach (var v in validators.Skip(1))
            await Ok(chain, new MoveStake { Signer = cold, OriginHotkey = run.Honest[0].Address, DestinationHotkey = v.Address, OriginNetuid = Netuid, DestinationNetuid = Netuid, AlphaAmount = third });
        Assert.Equal(run.Stake(run.Honest[1]), run.Stake(run.Copier));
        for (ulong i = 0; i < Tempo + 2; i++) await chain.ProduceBlockAsync(); // an epoch hands out validator permits
        Assert.All(validators, v => Assert.True(run.Subnet.Neurons[run.Uid(v.Address)].ValidatorPermit));
        if (commitReveal) await Ok(chain, new SetHyperparameter { Signer = owner, Netuid = Netuid, Name = "commit_reveal_weights_enabled", Value = "true" });
        return run;
    }

    /// <summary>The honest weights in epoch <paramref name="epoch"/>: the best miner (it changes every other epoch) 65535, the others 6553.</summary>
    private static (ushort[] Uids, ushort[] Values) HonestWeights(Run run, ulong epoch)
    {
        ushort[] uids = [.. run.Miners.Select(run.Uid)];
        int best = (int)(epoch / 2 % Miners);
        return (uids, [.. uids.Select((_, j) => j == best ? (ushort)65535 : (ushort)6553)]);
    }

    /// <summary>What the copier copies: the stored (revealed) rows of the validator with the most stake other than itself.</summary>
    private static (ushort[] Uids, ushort[] Values) CopiedWeights(Run run)
    {
        var neurons = run.Subnet.Neurons;
        var rows = neurons.Select((n, uid) => new WeightRow((ushort)uid, n.Hotkey, [.. n.WeightColumns], [.. n.WeightValues]))
            .Where(r => r.Uids.Length > 0).ToImmutableArray();
        var copy = WeightCopier.Copy(neurons.Select(n => (n.Hotkey, n.Stake)), rows, run.Copier.Address);
        return ([.. copy.Select(c => c.Uid)], [.. copy.Select(c => c.Weight)]);
    }

    /// <summary>
    /// Runs <see cref="Epochs"/> epochs. Once per epoch, right after the subnet's epoch: with commit-reveal, every
    /// validator reveals what it committed an epoch ago, then the honest ones commit this epoch's weights and the copier
    /// commits a copy of the public rows; without, the honest ones set their weights and the copier then sets a copy.
    /// </summary>
    private static async Task<Payoff> PayoffAsync(bool commitReveal)
    {
        var run = await BuildAsync(commitReveal);
        ulong honestStart = run.Stake(run.Honest[1]), copierStart = run.Stake(run.Copier);
        var pending = new Dictionary<KeyPair, RevealWeights>();
        ulong epoch = run.EpochIndex, last = epoch + Epochs;
        while (run.EpochIndex < last)
        {
            await run.Chain.ProduceBlockAsync();
            if (run.EpochIndex == epoch) continue;
            epoch = run.EpochIndex;
            foreach (var reveal in pending.Values) await Ok(run.Chain, reveal);
            pending.Clear();
            foreach (var v in run.Honest) await WeighAsync(run, v, HonestWeights(run, epoch), commitReveal, pending);
            var copy = CopiedWeights(run);
            if (copy.Uids.Length > 0) await WeighAsync(run, run.Copier, copy, commitReveal, pending);
        }
        return new Payoff(run.Stake(run.Honest[1]) - honestStart, run.Stake(run.Copier) - copierStart);
    }

    private static async Task WeighAsync(Run run, KeyPair v, (ushort[] Uids, ushort[] Values) w, bool commitReveal, Dictionary<KeyPair, RevealWeights> pending)
    {
        if (!commitReveal)
        {
            await Ok(run.Chain, new SetWeights { Signer = v.Address, Netuid = Netuid, Uids = [.. w.Uids], Weights = [.. w.Values] });
            return;
        }
        ushort[] salt = WeightCommitHash.NewSalt();
        await Ok(run.Chain, new CommitWeights { Signer = v.Address, Netuid = Netuid, CommitHash = WeightCommitHash.Compute(v.PublicKey, Netuid, w.Uids, w.Values, salt, 0) });
        pending[v] = new RevealWeights { Signer = v.Address, Netuid = Netuid, Uids = [.. w.Uids], Values = [.. w.Values], Salt = [.. salt], VersionKey = 0 };
    }

    [Fact]
    public async Task WeightCopier_OnACommitRevealSubnet_EarnsLessThanAnHonestValidatorOfEqualStake()
    {
        var p = await PayoffAsync(commitReveal: true);
        output.WriteLine($"commit-reveal: honest earned {p.Honest} rao of alpha, copier {p.Copier}: {p.Ratio:P1}");
        Assert.True(p.Honest > 0);
        Assert.True(p.Ratio < 0.9, $"the copier earned {p.Ratio:P1} of the honest validator's alpha");
    }

    [Fact]
    public async Task WeightCopier_WithoutCommitReveal_EarnsAsMuchAsTheHonestValidator()
    {
        var p = await PayoffAsync(commitReveal: false);
        output.WriteLine($"no commit-reveal: honest earned {p.Honest} rao of alpha, copier {p.Copier}: {p.Ratio:P1}");
        Assert.True(p.Honest > 0);
        Assert.True(p.Ratio > 0.95, $"the copier earned {p.Ratio:P1} of the honest validator's alpha");
    }
}
