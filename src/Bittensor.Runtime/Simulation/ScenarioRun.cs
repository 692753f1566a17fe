using System.Collections.Immutable;
using Bittensor.Consensus;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor.Runtime.Simulation;

/// <summary>One UID's outputs of one epoch.</summary>
public sealed record EpochRow(
    ulong Block, ushort Netuid, int Uid, string Agent, string Role, ulong Stake, ushort Consensus, ushort Incentive,
    ushort Dividends, ushort ValidatorTrust, ulong Emission, bool ValidatorPermit);

/// <summary>A subnet after one of its epochs: pool, price and what the epoch distributed.</summary>
public sealed record SubnetRow(
    ulong Block, ushort Netuid, string Subnet, double Price, double MovingPrice, ulong PoolTao, ulong PoolAlpha,
    ulong AlphaIssued, ulong RaoEmission, ulong ServerEmission, ulong ValidatorEmission, ulong OwnerCut);

/// <summary>An agent's extrinsic other than a weight setting that passed: registrations, stakes, owner changes; and every refusal.</summary>
public sealed record ActionRow(ulong Block, string Agent, string Action, bool Ok, string? Code, string? Message);

/// <summary>
/// What an agent holds at the end, and what it earned: alpha staked on its hotkey by its coldkey (summed over its
/// positions for a staker), less what it held once it joined; and its worth in TAO (free balance plus its positions at the
/// pools' spot prices), at the end and at the end of the set-up.
/// </summary>
public sealed record AgentResult(
    string Agent, string Subnet, ushort Netuid, int Uid, string Role, string Strategy, string Hotkey, string Coldkey,
    ulong StakeStart, ulong StakeEnd, ulong TaoBalance, ulong ValueStart, ulong ValueEnd)
{
    public long AlphaEarned => (long)StakeEnd - (long)StakeStart;

    /// <summary>The change of the agent's worth in rao of TAO: its payoff across subnets.</summary>
    public long ValueEarned => (long)ValueEnd - (long)ValueStart;
}

/// <summary>An epoch as it ran: its inputs as a <c>yuma-epoch-cases/1</c> case named <see cref="Name"/>, its outputs, and the block it ran in.</summary>
public sealed record RecordedEpoch(string Name, EpochParameters Parameters, EpochInput Input, EpochResult Result, ulong Block = 0);

/// <summary>
/// Runs a <see cref="Scenario"/> on an <see cref="InMemoryChain"/>: at block 0 each subnet is created (burn pinned), its
/// agents that join at 0 registered and the validators staked, then the scenario's hyperparameters set. For
/// <see cref="Scenario.Blocks"/> blocks every due epoch runs and, after its subnet's epoch, each validator with a permit
/// acts by its strategy (set_weights, or commit_weights and reveal_weights where commit-reveal is on); at their blocks late
/// agents register, owners change hyperparameters and stakers stake, unstake and move. Agents act through extrinsics only.
/// Deterministic for a seed. Every epoch is recorded per UID and per subnet, and, when asked, as a re-runnable case.
/// </summary>
public sealed class ScenarioRun
{
    /// <summary>The registration burn every subnet pins (min_burn = max_burn), rao: 0.0005 TAO.</summary>
    private const ulong Burn = 500_000;

    private readonly Scenario _scenario;
    private readonly List<SubnetAgents> _subnets = [];
    private readonly List<Agent> _stakers = [];
    private readonly Random _rng;

    private ScenarioRun(Scenario scenario, InMemoryChain chain, SimKeys keys)
    {
        _scenario = scenario;
        Chain = chain;
        Keys = keys;
        _rng = new Random(keys.Seed);
    }

    public InMemoryChain Chain { get; }

    /// <summary>Every agent's keys (and the root key's, the chain's sudo): real SS58 addresses derived from the run's seed.</summary>
    public SimKeys Keys { get; }

    public List<EpochRow> Epochs { get; } = [];

    public List<SubnetRow> SubnetEpochs { get; } = [];

    public List<ActionRow> Actions { get; } = [];

    /// <summary>Every epoch's inputs and outputs, when built with <c>recordCases</c>.</summary>
    public List<RecordedEpoch> Cases { get; } = [];

    /// <summary>
    /// Every operation the agents submitted with the block it was submitted in (0: the set-up) and whether it passed, when
    /// built with <c>recordCases</c>: with <see cref="GenesisIssuance"/>, <see cref="GenesisBalances"/> and the chain's
    /// rules, enough to drive another chain (the live network) through the same blocks.
    /// </summary>
    public List<(ulong Block, Operation Operation, bool Ok)> Operations { get; } = [];

    /// <summary>Total issuance at genesis, rao.</summary>
    public ulong GenesisIssuance { get; private init; }

    /// <summary>The genesis balances every agent's coldkey starts with, rao.</summary>
    public IReadOnlyDictionary<string, ulong> GenesisBalances { get; private init; } = new Dictionary<string, ulong>();

    /// <summary>Builds the scenario's network at block 0.</summary>
    /// <exception cref="ScenarioFormatException">The chain refused a setting (a hyperparameter's value); names the subnet and the field.</exception>
    public static async Task<ScenarioRun> BuildAsync(Scenario scenario, Arithmetic arithmetic, int? seed = null, bool recordCases = false)
    {
        var keys = new SimKeys(seed ?? scenario.Seed);
        var balances = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var plans = new List<SubnetAgents>();
        for (int k = 0; k < scenario.Subnets.Length; k++)
        {
            var plan = new SubnetAgents(scenario.Subnets[k], k, keys);
            plans.Add(plan);
            balances[plan.Owner.Coldkey] = scenario.LockCost;
            // The first registration on a subnet pays the initial 1 TAO burn, later ones the pinned burn: 1 TAO of slack per coldkey.
            foreach (var a in plan.Agents.Where(a => a.Role != "owner"))
                balances[a.Coldkey] = (balances.TryGetValue(a.Coldkey, out ulong held) ? held : Tao.Rao) + Burn + a.Stake;
        }
        var stakers = scenario.Stakers.Select(s => new Agent($"staker/{s.Name}", "staker", "staker", keys.Address($"sim-staker-{s.Name}"), "", s, 0)).ToList();
        foreach (var s in stakers)
            balances[s.Coldkey] = checked(balances.GetValueOrDefault(s.Coldkey) + ((Staker)s.Group!).Balance);
        ulong allocated = balances.Values.Aggregate(0UL, (a, b) => checked(a + b));
        ulong issuance = scenario.StartIssuance ?? allocated;
        if (issuance < allocated)
            throw new ScenarioFormatException("scenario", "chain.start_issuance_tao", $"must be at least the genesis balances, {allocated / (double)Tao.Rao} TAO");
        var chain = new InMemoryChain(Setup.Rules(scenario.Tempo, scenario.LockCost, scenario.Subnets.Length, keys.Address(Setup.Root)), issuance, balances, arithmetic) { RecordEvents = false };
        var run = new ScenarioRun(scenario, chain, keys) { GenesisIssuance = issuance, GenesisBalances = balances };
        if (recordCases) chain.Executed = (operation, result) => run.Operations.Add((chain.State.Block, operation, result.Ok));
        run._stakers.AddRange(stakers);
        foreach (var plan in plans) await run.BuildSubnetAsync(plan);
        foreach (var a in run.AllAgents()) a.ValueStart = run.ValueOf(a);
        if (recordCases)
            chain.EpochRan = (request, result) =>
            {
                var (parameters, input) = request.ToEngine();
                run.Cases.Add(new RecordedEpoch($"subnet-{request.Start.Netuid}-epoch-{request.Start.Index}", parameters, input, result, request.Start.Block));
            };
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
    [
        .. _subnets.SelectMany(s => s.Agents.Select(a => new AgentResult(a.Name, s.Spec.Name, s.Netuid, a.Uid, a.Role, a.Strategy,
            a.Hotkey, a.Coldkey, a.StakeStart, StakeOf(s.Netuid, a), Chain.Account(a.Coldkey).Balance, a.ValueStart, ValueOf(a)))),
        .. _stakers.Select(a => new AgentResult(a.Name, "", 0, -1, a.Role, a.Strategy, a.Hotkey, a.Coldkey, 0,
            a.Positions.Aggregate(0UL, (sum, p) => sum + Position(p.Hotkey, p.Netuid, a.Coldkey)), Chain.Account(a.Coldkey).Balance, a.ValueStart, ValueOf(a))),
    ];

    private IEnumerable<Agent> AllAgents() => _subnets.SelectMany(s => s.Agents).Concat(_stakers);

    private async Task StepAsync()
    {
        var epochs = await Chain.ProduceBlockAsync();
        ulong block = Chain.State.Block;
        foreach (var start in epochs)
        {
            var s = _subnets.Single(x => x.Netuid == start.Netuid);
            Record(s, block);
            await ActAsync(s, block);
        }
        foreach (var s in _subnets)
        {
            foreach (var a in s.Agents.Where(a => a.JoinBlock == block && a.JoinBlock > 0)) await JoinAsync(s, a);
            foreach (var change in s.Spec.OwnerChanges.Where(c => c.Block == block))
                foreach (var (name, value) in change.Hyperparameters)
                    await ActAsync(s.Owner, $"set_hyperparameter {name}={value}", new SetHyperparameter { Signer = s.Owner.Coldkey, Netuid = s.Netuid, Name = name, Value = value });
        }
        foreach (var staker in _stakers)
            foreach (var action in ((Staker)staker.Group!).Actions.Where(x => x.Block == block))
                await StakeAsync(staker, action);
    }

    /// <summary>Each registered validator with a permit acts after its subnet's epoch: reveals what is due, then sets or commits weights by its strategy.</summary>
    private async Task ActAsync(SubnetAgents s, ulong block)
    {
        var roster = Chain.Subnet(s.Netuid)!;
        var economy = Chain.State.Subnets[s.Netuid];
        var hyper = economy.Hyper;
        var miners = s.Agents.Where(a => a.Group is MinerGroup && a.Uid >= 0).ToList();
        foreach (var v in s.Agents)
        {
            if (v.Group is not ValidatorGroup group || v.Uid < 0) continue;
            if (hyper.CommitRevealWeightsEnabled) await RevealAsync(s, v, economy, block);
            if (!roster.Neurons[v.Uid].ValidatorPermit || group.Strategy == ValidatorStrategy.Inactive || block < group.JoinBlock) continue;
            if (group.StopBlock is ulong stop && block >= stop) continue;
            (ushort Uid, ushort Weight)[] weights;
            switch (group.Strategy)
            {
                case ValidatorStrategy.Honest:
                    if (v.LastSet != 0 && block - v.LastSet < (ulong)group.EveryTempos * _scenario.Tempo) continue;
                    weights = [.. miners.Where(m => ((MinerGroup)m.Group!).Strategy != MinerStrategy.Lazy)
                        .Select(m => ((ushort)m.Uid, Setup.HonestWeight(m.Quality, group.Noise, _rng)))];
                    break;
                case ValidatorStrategy.Cartel:
                    weights = [.. miners.Where(m => group.Favours.Contains(((MinerGroup)m.Group!).Name))
                        .Select(m => ((ushort)m.Uid, Setup.HonestWeight(m.Quality, group.Noise, _rng)))];
                    break;
                default:
                    // A copier reads the metagraph: the consensus of the last epoch, or of LagEpochs epochs ago for a lagging one.
                    int lag = group.Strategy == ValidatorStrategy.LaggingCopier ? group.LagEpochs : 1;
                    if (s.History.Count < lag) continue;
                    var seen = s.History[^lag];
                    weights = [.. miners.Where(m => seen.GetValueOrDefault(m.Hotkey) > 0).Select(m => ((ushort)m.Uid, seen[m.Hotkey]))];
                    break;
            }
            if (weights.Length == 0) continue;
            ImmutableArray<ushort> uids = [.. weights.Select(w => w.Uid)], values = [.. weights.Select(w => w.Weight)];
            if (hyper.CommitRevealWeightsEnabled)
            {
                ImmutableArray<ushort> salt = [.. Enumerable.Range(0, 8).Select(_ => (ushort)_rng.Next(65536))];
                string hash = RevealWeightsCall.HashOf(v.Hotkey, s.Netuid, uids, values, salt, 0);
                if (await ActAsync(v, "commit_weights", new CommitWeights { Signer = v.Hotkey, Netuid = s.Netuid, CommitHash = hash }, logSuccess: false))
                    v.Commits.Enqueue((CommitReveal.CurrentEpoch(economy, block), uids, values, salt));
            }
            else await ActAsync(v, "set_weights", new SetWeights { Signer = v.Hotkey, Netuid = s.Netuid, Uids = uids, Weights = values }, logSuccess: false);
            v.LastSet = block;
        }
    }

    /// <summary>Reveals the validator's commits whose reveal epoch is now; drops those that expired.</summary>
    private async Task RevealAsync(SubnetAgents s, Agent v, SubnetEconomy economy, ulong block)
    {
        ulong now = CommitReveal.CurrentEpoch(economy, block);
        ulong period = economy.Hyper.CommitRevealPeriod;
        while (v.Commits.TryPeek(out var c) && CommitReveal.IsExpired(c.Epoch, now, period)) v.Commits.Dequeue();
        while (v.Commits.TryPeek(out var c) && CommitReveal.IsRevealEpoch(c.Epoch, now, period))
        {
            v.Commits.Dequeue();
            await ActAsync(v, "reveal_weights", new RevealWeights { Signer = v.Hotkey, Netuid = s.Netuid, Uids = c.Uids, Values = c.Values, Salt = c.Salt, VersionKey = 0 }, logSuccess: false);
        }
    }

    private async Task StakeAsync(Agent staker, StakeAction x)
    {
        var from = _subnets.Single(s => s.Spec.Name == x.Subnet);
        var hotkey = from.Validator(x.Validator).Hotkey;
        Operation op;
        string what;
        switch (x.Kind)
        {
            case StakeKind.Stake:
                op = new AddStake { Signer = staker.Coldkey, Hotkey = hotkey, Netuid = from.Netuid, Amount = x.Amount!.Value };
                what = $"add_stake {x.Amount} rao on {x.Subnet}/{x.Validator}";
                staker.Hold(hotkey, from.Netuid);
                break;
            case StakeKind.Unstake:
                ulong held = Position(hotkey, from.Netuid, staker.Coldkey);
                op = new RemoveStake { Signer = staker.Coldkey, Hotkey = hotkey, Netuid = from.Netuid, Amount = x.Amount ?? held };
                what = $"remove_stake {x.Amount?.ToString() ?? "all"} alpha from {x.Subnet}/{x.Validator}";
                break;
            default:
                var to = _subnets.Single(s => s.Spec.Name == (x.ToSubnet ?? x.Subnet));
                var toHotkey = to.Validator(x.ToValidator!).Hotkey;
                op = new MoveStake
                {
                    Signer = staker.Coldkey, OriginHotkey = hotkey, OriginNetuid = from.Netuid, DestinationHotkey = toHotkey, DestinationNetuid = to.Netuid,
                    AlphaAmount = x.Amount ?? Position(hotkey, from.Netuid, staker.Coldkey),
                };
                what = $"move_stake {x.Amount?.ToString() ?? "all"} alpha from {x.Subnet}/{x.Validator} to {to.Spec.Name}/{x.ToValidator}";
                staker.Hold(toHotkey, to.Netuid);
                break;
        }
        await ActAsync(staker, what, op);
    }

    /// <summary>Applies an agent's extrinsic; a refusal is a result of the scenario (logged), not an error.</summary>
    private async Task<bool> ActAsync(Agent agent, string what, Operation op, bool logSuccess = true)
    {
        var result = await Chain.ExecuteAsync(op);
        if (!result.Ok || logSuccess) Actions.Add(new ActionRow(Chain.State.Block, agent.Name, what, result.Ok, result.Code, result.Message));
        return result.Ok;
    }

    private void Record(SubnetAgents s, ulong block)
    {
        var roster = Chain.Subnet(s.Netuid)!;
        var e = Chain.State.Subnets[s.Netuid];
        var summary = roster.Epochs[^1];
        SubnetEpochs.Add(new SubnetRow(block, s.Netuid, s.Spec.Name, PoolMath.Price(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight), e.MovingPrice, e.PoolTao,
            e.PoolAlpha, e.AlphaIssued, summary.RaoEmission, summary.ServerEmission, summary.ValidatorEmission, summary.OwnerCut));
        var consensus = new Dictionary<string, ushort>(StringComparer.Ordinal);
        foreach (var a in s.Agents)
        {
            // A late joiner may have pushed this agent out (registration prunes the weakest UID of a full subnet).
            a.Uid = a.Uid < 0 ? -1 : roster.UidOf(a.Hotkey);
            if (a.Uid < 0) continue;
            var n = roster.Neurons[a.Uid];
            consensus[a.Hotkey] = n.Consensus;
            Epochs.Add(new EpochRow(block, s.Netuid, a.Uid, a.Name, a.Role, n.Stake, n.Consensus, n.Incentive, n.Dividends,
                n.ValidatorTrust, n.Emission, n.ValidatorPermit));
        }
        s.History.Add(consensus);
        if (s.History.Count > 100) s.History.RemoveAt(0);
    }

    private async Task BuildSubnetAsync(SubnetAgents s)
    {
        var spec = s.Spec;
        s.Netuid = await Setup.SubnetAsync(Chain, s.Owner.Coldkey, s.Owner.Hotkey, Burn, s.Agents.Count);
        s.Owner.Uid = 0;
        foreach (var a in s.Agents.Where(a => a.Role != "owner" && a.JoinBlock == 0))
            a.Uid = (await Setup.ExecuteAsync(Chain, new BurnedRegister { Signer = a.Coldkey, Netuid = s.Netuid, Hotkey = a.Hotkey })).Uid!.Value;
        foreach (var a in s.Agents.Where(a => a.Stake > 0 && a.JoinBlock == 0))
            await Setup.ExecuteAsync(Chain, new AddStake { Signer = a.Coldkey, Hotkey = a.Hotkey, Netuid = s.Netuid, Amount = a.Stake });
        foreach (var (name, value) in spec.Hyperparameters)
        {
            // The scenario's settings, applied at block 0 by the simulation's root key (root-only ones too; no owner rate limit).
            var result = await Chain.ExecuteAsync(new SetHyperparameter { Signer = Chain.Rules.Sudo!, Netuid = s.Netuid, Name = name, Value = value });
            if (!result.Ok) throw new ScenarioFormatException($"subnet '{spec.Name}'", $"hyperparameters.{name}", result.Message ?? result.Code ?? "refused");
        }
        foreach (var group in s.Agents.Where(a => a.Group is MinerGroup).GroupBy(a => (MinerGroup)a.Group!))
        {
            var g = group.Key;
            double shared = Quality(g);
            foreach (var m in group) m.Quality = g.Strategy == MinerStrategy.Sybil ? shared : Quality(g);
        }
        foreach (var a in s.Agents) a.StakeStart = StakeOf(s.Netuid, a);
        _subnets.Add(s);
    }

    private double Quality(MinerGroup g) => Math.Clamp(g.Quality + g.Spread * (2 * _rng.NextDouble() - 1), 0.01, 1);

    /// <summary>A late agent registers (and a validator stakes) at its join block; refusals are logged, the agent stays out.</summary>
    private async Task JoinAsync(SubnetAgents s, Agent a)
    {
        if (!await ActAsync(a, "burned_register", new BurnedRegister { Signer = a.Coldkey, Netuid = s.Netuid, Hotkey = a.Hotkey })) return;
        a.Uid = Chain.Subnet(s.Netuid)!.UidOf(a.Hotkey);
        if (a.Stake > 0) await ActAsync(a, $"add_stake {a.Stake} rao", new AddStake { Signer = a.Coldkey, Hotkey = a.Hotkey, Netuid = s.Netuid, Amount = a.Stake });
        a.StakeStart = StakeOf(s.Netuid, a);
    }

    private ulong StakeOf(ushort netuid, Agent a) => Position(a.Hotkey, netuid, a.Coldkey);

    private ulong Position(string hotkey, ushort netuid, string coldkey) => Chain.Hotkey(hotkey).Stakes.GetValueOrDefault(KeyLedger.StakeKey(netuid, coldkey));

    /// <summary>Free TAO plus the agent's alpha positions at the pools' spot prices, rao.</summary>
    private ulong ValueOf(Agent a)
    {
        double value = Chain.Account(a.Coldkey).Balance;
        foreach (var (hotkey, netuid) in a.Positions)
        {
            var e = Chain.State.Subnets[netuid];
            value += Position(hotkey, netuid, a.Coldkey) * PoolMath.Price(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight);
        }
        return (ulong)Math.Round(value);
    }

    /// <summary>A subnet's agents with their keys (labelled by position, so any name in the scenario is allowed).</summary>
    private sealed class SubnetAgents
    {
        public SubnetAgents(ScenarioSubnet spec, int k, SimKeys keys)
        {
            Spec = spec;
            Owner = new Agent($"{spec.Name}/owner", "owner", "owner", keys.Address($"sim{k}-owner"), keys.Address($"sim{k}-owner-hot"), null, 0);
            Agents.Add(Owner);
            for (int g = 0; g < spec.Validators.Length; g++)
            {
                var group = spec.Validators[g];
                for (int i = 0; i < group.Count; i++)
                    Agents.Add(new Agent($"{spec.Name}/{group.Name}-{i}", "validator", group.StrategyName,
                        keys.Address($"sim{k}-v{g}-{i}"), keys.Address($"sim{k}-v{g}-{i}-hot"), group, group.Stake) { JoinBlock = group.JoinBlock });
            }
            for (int g = 0; g < spec.Miners.Length; g++)
            {
                var group = spec.Miners[g];
                for (int i = 0; i < group.Count; i++)
                    Agents.Add(new Agent($"{spec.Name}/{group.Name}-{i}", "miner", group.StrategyName, keys.Address($"sim{k}-m{g}"), keys.Address($"sim{k}-m{g}-{i}-hot"), group, 0) { JoinBlock = group.JoinBlock });
            }
            foreach (var a in Agents) a.Positions.Add((a.Hotkey, 0));
        }

        public ScenarioSubnet Spec { get; }

        public ushort Netuid
        {
            get;
            set
            {
                field = value;
                foreach (var a in Agents) a.Positions[0] = (a.Hotkey, value);
            }
        }

        public Agent Owner { get; }

        public List<Agent> Agents { get; } = [];

        /// <summary>Consensus by hotkey after each of the last epochs (what a copier reads from the metagraph).</summary>
        public List<Dictionary<string, ushort>> History { get; } = [];

        public Agent Validator(string name) => Agents.Single(a => a.Role == "validator" && a.Name == $"{Spec.Name}/{name}");
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
        public ulong JoinBlock { get; init; }
        public int Uid { get; set; } = -1;
        public double Quality { get; set; }
        public ulong StakeStart { get; set; }
        public ulong ValueStart { get; set; }
        public ulong LastSet { get; set; }
        /// <summary>The (hotkey, netuid) stake positions its worth counts.</summary>
        public List<(string Hotkey, ushort Netuid)> Positions { get; } = [];
        public void Hold(string hotkey, ushort netuid)
        {
            if (!Positions.Contains((hotkey, netuid))) Positions.Add((hotkey, netuid));
        }

        public Queue<(ulong Epoch, ImmutableArray<ushort> Uids, ImmutableArray<ushort> Values, ImmutableArray<ushort> Salt)> Commits { get; } = [];
    }
}
