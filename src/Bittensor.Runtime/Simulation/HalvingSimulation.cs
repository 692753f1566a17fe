using System.Collections.Immutable;
using Bittensor.Consensus;

namespace Bittensor.Runtime.Simulation;

/// <summary>
/// The network of <see cref="HalvingSettings"/> on an <see cref="InMemoryChain"/>, built and driven through extrinsics only:
/// at genesis every subnet is created, its burn pinned and its weights rate limit kept within a tempo, its validators and miners registered and the validators staked; then
/// each block is produced with its due epochs, and after a subnet's epoch its validators holding a permit set their weights
/// again when their last set is <see cref="HalvingSettings.WeightRefreshTempos"/> tempos old. Deterministic for a seed.
/// </summary>
public sealed class HalvingSimulation
{
    private readonly HalvingSettings _settings;
    private readonly Dictionary<ushort, SubnetAgents> _agents = [];

    private HalvingSimulation(HalvingSettings settings, InMemoryChain chain)
    {
        _settings = settings;
        Chain = chain;
    }

    public InMemoryChain Chain { get; }

    /// <summary>Issuance at which the first halving has happened: 10,500,000 TAO.</summary>
    public static ulong FirstHalvingIssuance => BlockEmission.NextHalvingIssuance(0);

    /// <summary>Whether the next block mints the halved emission.</summary>
    public bool HalvingDue => BlockEmission.Halvings(Chain.State.TotalIssuance) >= 1;

    /// <summary>Rao the genesis balances hand out (owners' locks, validators' burns and stakes, miners' burns).</summary>
    public static ulong GenesisBalances(HalvingSettings s) => Balances(s).Values.Aggregate(0UL, (a, b) => checked(a + b));

    /// <summary>Creates the chain at genesis and builds every subnet at block 0.</summary>
    /// <exception cref="ArgumentException">The settings break a rule, or the start issuance is below the genesis balances or past the first halving.</exception>
    public static async Task<HalvingSimulation> BuildAsync(HalvingSettings settings)
    {
        if (settings.Problem() is { } problem) throw new ArgumentException(problem, nameof(settings));
        var balances = Balances(settings);
        ulong allocated = GenesisBalances(settings);
        ulong issuance = settings.StartIssuance ?? allocated;
        if (issuance < allocated)
            throw new ArgumentException($"the start issuance must be at least the genesis balances, {allocated} rao", nameof(settings));
        if (issuance >= FirstHalvingIssuance)
            throw new ArgumentException($"the start issuance must be below the first halving, {FirstHalvingIssuance} rao", nameof(settings));
        var rules = Setup.Rules(settings.Tempo, settings.LockCost, settings.Subnets);
        var chain = new InMemoryChain(rules, issuance, balances, settings.Arithmetic) { RecordEvents = false, ComputeEpochsAhead = true };
        var sim = new HalvingSimulation(settings, chain);
        var rng = new Random(settings.Seed);
        for (int k = 0; k < settings.Subnets; k++) await sim.BuildSubnetAsync(k, rng);
        return sim;
    }

    /// <summary>Produces one block, then lets the validators of subnets whose epoch ran refresh their weights.</summary>
    public async Task<IReadOnlyList<EpochStart>> StepAsync()
    {
        var epochs = await Chain.ProduceBlockAsync();
        ulong block = Chain.State.Block;
        ulong refresh = (ulong)_settings.WeightRefreshTempos * _settings.Tempo;
        foreach (var start in epochs)
        {
            var agents = _agents[start.Netuid];
            var roster = Chain.Subnet(start.Netuid)!;
            foreach (var v in agents.Validators)
            {
                var neuron = roster.Neurons[v.Uid];
                if (!neuron.ValidatorPermit || (v.LastSet != 0 && block - v.LastSet < refresh)) continue;
                await Execute(new SetWeights { Signer = v.Hotkey, Netuid = start.Netuid, Uids = agents.Miners, Weights = v.Weights });
                v.LastSet = block;
            }
        }
        return epochs;
    }

    private async Task BuildSubnetAsync(int k, Random rng)
    {
        ushort netuid = await Setup.SubnetAsync(Chain, Key(k, "owner"), Key(k, "owner-hot"), _settings.Burn, _settings.Uids);

        var validators = new List<(string Cold, string Hot, ushort Uid)>();
        for (int v = 0; v < _settings.Validators; v++)
        {
            string cold = Key(k, $"v{v}"), hot = Key(k, $"v{v}-hot");
            var registered = await Execute(new BurnedRegister { Signer = cold, Netuid = netuid, Hotkey = hot });
            validators.Add((cold, hot, registered.Uid!.Value));
        }
        var miners = ImmutableArray.CreateBuilder<ushort>();
        for (int m = 0; m < _settings.Uids - 1 - _settings.Validators; m++)
            miners.Add((await Execute(new BurnedRegister { Signer = Key(k, "miners"), Netuid = netuid, Hotkey = Key(k, $"m{m}-hot") })).Uid!.Value);
        for (int v = 0; v < validators.Count; v++)
            await Execute(new AddStake { Signer = validators[v].Cold, Hotkey = validators[v].Hot, Netuid = netuid, Amount = ValidatorStake(v) });

        // Each miner has a quality; each validator scores it with ±10% noise of its own.
        var quality = Enumerable.Range(0, miners.Count).Select(_ => 0.2 + 0.8 * rng.NextDouble()).ToArray();
        var agents = new SubnetAgents(miners.ToImmutable());
        foreach (var (_, hot, uid) in validators)
            agents.Validators.Add(new ValidatorAgent(hot, uid,
                [.. quality.Select(q => Setup.HonestWeight(q, 0.1, rng))]));
        _agents[netuid] = agents;
    }

    private Task<OpResult> Execute(Operation op) => Setup.ExecuteAsync(Chain, op);

    private static Dictionary<string, ulong> Balances(HalvingSettings s)
    {
        // The first registration on a subnet pays the initial 1 TAO burn before min_burn = max_burn applies: everyone gets 1 TAO of slack.
        var balances = new Dictionary<string, ulong>(StringComparer.Ordinal);
        int miners = s.Uids - 1 - s.Validators;
        for (int k = 0; k < s.Subnets; k++)
        {
            balances[Key(k, "owner")] = s.LockCost;
            for (int v = 0; v < s.Validators; v++) balances[Key(k, $"v{v}")] = Tao.Rao + ValidatorStake(v);
            if (miners > 0) balances[Key(k, "miners")] = Tao.Rao + (ulong)miners * s.Burn;
        }
        return balances;
    }

    private static ulong ValidatorStake(int v) => (ulong)(v + 1) * Tao.Rao;

    private static string Key(int subnet, string role) => $"sim{subnet}-{role}";

    private sealed record SubnetAgents(ImmutableArray<ushort> Miners)
    {
        public List<ValidatorAgent> Validators { get; } = [];
    }

    private sealed class ValidatorAgent(string hotkey, ushort uid, ImmutableArray<ushort> weights)
    {
        public string Hotkey => hotkey;
        public ushort Uid => uid;
        public ImmutableArray<ushort> Weights => weights;
        public ulong LastSet { get; set; }
    }
}
