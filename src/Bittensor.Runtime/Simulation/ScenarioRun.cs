using System.Collections.Immutable;
using Bittensor.Consensus;

namespace Bittensor.Runtime.Simulation;

/// <summary>One UID's outputs of one epoch.</summary>
public sealed record EpochRow(
    ulong Block, ushort Netuid, int Uid, string Agent, string Role, ulong Stake, ushort Consensus, ushort Incentive,
    ushort Dividends, ushort ValidatorTrust, ulong Emission, bool ValidatorPermit);

/// <summary>A subnet after one of its epochs: pool, price and what the epoch distributed.</summary>
public sealed record SubnetRow(
    ulong Block, ushort Netuid, string Subnet, double Price, double MovingPrice, ulong PoolTao, ulong PoolAlpha,
    ulong AlphaIssued, ulong RaoEmission, ulong ServerEmission, ulong ValidatorEmission, ulong OwnerCut);

/// <summary>What an agent holds at the end, and what it earned: alpha staked on its hotkey by its coldkey, less what it staked at block 0.</summary>
public sealed record AgentResult(
    string Agent, string Subnet, ushort Netuid, int Uid, string Role, string Strategy, string Hotkey, string Coldkey,
    ulong StakeStart, ulong StakeEnd, ulong TaoBalance)
{
    public long AlphaEarned => (long)StakeEnd - (long)StakeStart;
}

/// <summary>
/// Runs a <see cref="Scenario"/> on an <see cref="InMemoryChain"/>: at block 0 each subnet is created (burn pinned),
/// its validators and miners registered and the validators staked, then the owner sets the scenario's
/// hyperparameters; for <see cref="Scenario.Blocks"/> blocks every due epoch runs and, after its subnet's epoch, each
/// validator with a permit acts: an honest one every <see cref="ValidatorGroup.EveryTempos"/> tempos, a copier every
/// tempo with the consensus the epoch left. Deterministic for a seed. Every epoch is recorded per UID and per subnet.
/// </summary>
public sealed class ScenarioRun
{
    /// <summary>The registration burn every subnet pins (min_burn = max_burn), rao: 0.0005 TAO.</summary>
    private const ulong Burn = 500_000;

    private readonly Scenario _scenario;
    private readonly List<SubnetAgents> _subnets = [];
    private readonly Random _rng;

    private ScenarioRun(Scenario scenario, InMemoryChain chain, int seed)
    {
        _scenario = scenario;
        Chain = chain;
        _rng = new Random(seed);
    }

    public InMemoryChain Chain { get; }

    public List<EpochRow> Epochs { get; } = [];

    public List<SubnetRow> SubnetEpochs { get; } = [];

    /// <summary>Builds the scenario's network at block 0.</summary>
    /// <exception cref="ScenarioFormatException">The chain refused a setting (a hyperparameter's value); names the subnet and the field.</exception>
    public static async Task<ScenarioRun> BuildAsync(Scenario scenario, Arithmetic arithmetic, int? seed = null)
    {
        var balances = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var plans = new List<SubnetAgents>();
        for (int k = 0; k < scenario.Subnets.Length; k++)
        {
            var plan = new SubnetAgents(scenario.Subnets[k], k);
            plans.Add(plan);
            balances[plan.Owner.Coldkey] = scenario.LockCost;
            // The first registration on a subnet pays the initial 1 TAO burn, later ones the pinned burn: 1 TAO of slack per coldkey.
            foreach (var a in plan.Agents.Where(a => a.Role != "owner"))
                balances[a.Coldkey] = (balances.TryGetValue(a.Coldkey, out ulong held) ? held : Tao.Rao) + Burn + a.Stake;
        }
        ulong allocated = balances.Values.Aggregate(0UL, (a, b) => checked(a + b));
        ulong issuance = scenario.StartIssuance ?? allocated;
        if (issuance < allocated)
            throw new ScenarioFormatException("scenario", "chain.start_issuance_tao", $"must be at least the genesis balances, {allocated / (double)Tao.Rao} TAO");
        var chain = new InMemoryChain(Setup.Rules(scenario.Tempo, scenario.LockCost, scenario.Subnets.Length), issuance, balances, arithmetic) { RecordEvents = false };
        var run = new ScenarioRun(scenario, chain, seed ?? scenario.Seed);
        foreach (var plan in plans) await run.BuildSubnetAsync(plan);
        return run;
    }

    /// <summary>Produces every block of the scenario.</summary>
    public async Task RunAsync(IProgress<ulong>? progress = null)
    {
        for (ulong b = 0; b < _scenario.Blocks; b++)
        {
            await StepAsync();
            progress?.Report(Chain.State.Block);
        }
    }

    /// <summary>What every agent holds and earned now.</summary>
    public IReadOnlyList<AgentResult> Results() =>
        [.. _subnets.SelectMany(s => s.Agents.Select(a => new AgentResult(a.Name, s.Spec.Name, s.Netuid, a.Uid, a.Role, a.Strategy,
            a.Hotkey, a.Coldkey, a.StakeStart, StakeOf(s.Netuid, a), Chain.Account(a.Coldkey).Balance)))];

    private async Task StepAsync()
    {
        var epochs = await Chain.ProduceBlockAsync();
        ulong block = Chain.State.Block;
        foreach (var start in epochs)
        {
            var s = _subnets.Single(x => x.Netuid == start.Netuid);
            Record(s, block);
            var roster = Chain.Subnet(s.Netuid)!;
            foreach (var v in s.Agents)
            {
                if (v.Group is not ValidatorGroup group || !roster.Neurons[v.Uid].ValidatorPermit) continue;
                var miners = s.Agents.Where(a => a.Group is MinerGroup).ToList();
                ImmutableArray<ushort> uids, weights;
                if (group.Strategy == ValidatorStrategy.Honest)
                {
                    if (v.LastSet != 0 && block - v.LastSet < (ulong)group.EveryTempos * _scenario.Tempo) continue;
                    uids = [.. miners.Select(m => (ushort)m.Uid)];
                    weights = [.. miners.Select(m => Setup.HonestWeight(m.Quality, group.Noise, _rng))];
                }
                else
                {
                    var seen = miners.Where(m => roster.Neurons[m.Uid].Consensus > 0).ToList();
                    if (seen.Count == 0) continue;
                    uids = [.. seen.Select(m => (ushort)m.Uid)];
                    weights = [.. seen.Select(m => roster.Neurons[m.Uid].Consensus)];
                }
                await Setup.ExecuteAsync(Chain, new SetWeights { Signer = v.Hotkey, Netuid = s.Netuid, Uids = uids, Weights = weights });
                v.LastSet = block;
            }
        }
    }

    private void Record(SubnetAgents s, ulong block)
    {
        var roster = Chain.Subnet(s.Netuid)!;
        var e = Chain.State.Subnets[s.Netuid];
        var summary = roster.Epochs[^1];
        SubnetEpochs.Add(new SubnetRow(block, s.Netuid, s.Spec.Name, PoolMath.Price(e.PoolTao, e.PoolAlpha), e.MovingPrice, e.PoolTao,
            e.PoolAlpha, e.AlphaIssued, summary.RaoEmission, summary.ServerEmission, summary.ValidatorEmission, summary.OwnerCut));
        foreach (var a in s.Agents)
        {
            var n = roster.Neurons[a.Uid];
            Epochs.Add(new EpochRow(block, s.Netuid, a.Uid, a.Name, a.Role, n.Stake, n.Consensus, n.Incentive, n.Dividends,
                n.ValidatorTrust, n.Emission, n.ValidatorPermit));
        }
    }

    private async Task BuildSubnetAsync(SubnetAgents s)
    {
        var spec = s.Spec;
        s.Netuid = await Setup.SubnetAsync(Chain, s.Owner.Coldkey, s.Owner.Hotkey, Burn, s.Agents.Count);
        s.Owner.Uid = 0;
        foreach (var a in s.Agents.Where(a => a.Role != "owner"))
            a.Uid = (await Setup.ExecuteAsync(Chain, new BurnedRegister { Signer = a.Coldkey, Netuid = s.Netuid, Hotkey = a.Hotkey })).Uid!.Value;
        foreach (var a in s.Agents.Where(a => a.Stake > 0))
            await Setup.ExecuteAsync(Chain, new AddStake { Signer = a.Coldkey, Hotkey = a.Hotkey, Netuid = s.Netuid, Amount = a.Stake });
        foreach (var (name, value) in spec.Hyperparameters)
        {
            // The scenario's settings, applied at block 0 by the simulation's root key (root-only ones too; no owner rate limit).
            var result = await Chain.ExecuteAsync(new SetHyperparameter { Signer = Setup.Root, Netuid = s.Netuid, Name = name, Value = value });
            if (!result.Ok) throw new ScenarioFormatException($"subnet '{spec.Name}'", $"hyperparameters.{name}", result.Message ?? result.Code ?? "refused");
        }
        foreach (var m in s.Agents)
            if (m.Group is MinerGroup miners) m.Quality = Math.Clamp(miners.Quality + miners.Spread * (2 * _rng.NextDouble() - 1), 0.01, 1);
        foreach (var a in s.Agents) a.StakeStart = StakeOf(s.Netuid, a);
        _subnets.Add(s);
    }

    private ulong StakeOf(ushort netuid, Agent a) => Chain.Hotkey(a.Hotkey).Stakes.GetValueOrDefault(KeyLedger.StakeKey(netuid, a.Coldkey));

    /// <summary>A subnet's agents with their keys (derived from positions, so any name in the scenario is allowed).</summary>
    private sealed class SubnetAgents
    {
        public SubnetAgents(ScenarioSubnet spec, int k)
        {
            Spec = spec;
            Owner = new Agent($"{spec.Name}/owner", "owner", "owner", $"sim{k}-owner", $"sim{k}-owner-hot", null, 0);
            Agents.Add(Owner);
            for (int g = 0; g < spec.Validators.Length; g++)
            {
                var group = spec.Validators[g];
                for (int i = 0; i < group.Count; i++)
                    Agents.Add(new Agent($"{spec.Name}/{group.Name}-{i}", "validator", group.Strategy.ToString().ToLowerInvariant(),
                        $"sim{k}-v{g}-{i}", $"sim{k}-v{g}-{i}-hot", group, group.Stake));
            }
            for (int g = 0; g < spec.Miners.Length; g++)
            {
                var group = spec.Miners[g];
                for (int i = 0; i < group.Count; i++)
                    Agents.Add(new Agent($"{spec.Name}/{group.Name}-{i}", "miner", "honest", $"sim{k}-m{g}", $"sim{k}-m{g}-{i}-hot", group, 0));
            }
        }

        public ScenarioSubnet Spec { get; }

        public ushort Netuid { get; set; }

        public Agent Owner { get; }

        public List<Agent> Agents { get; } = [];
    }

    private sealed class Agent(string name, string role, string strategy, string coldkey, string hotkey, object? group, ulong stake)
    {
        public string Name => name;
        public string Role => role;
        public string Strategy => strategy;
        public string Coldkey => coldkey;
        public string Hotkey => hotkey;
        public object? Group => group;
        public ulong Stake => stake;
        public int Uid { get; set; }
        public double Quality { get; set; }
        public ulong StakeStart { get; set; }
        public ulong LastSet { get; set; }
    }
}
