using Bittensor.Consensus;

namespace Bittensor.Runtime;

/// <summary>
/// The runtime on plain dictionaries, in one thread: the same plans and ledgers as the grains, with epochs computed
/// inline (they always land in the block they start). For simulations, what-if runs and tests of the rules; nothing in
/// it depends on wall time, so a run is reproducible.
/// </summary>
public sealed partial class InMemoryChain : IStateSource
{
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HotkeyState> _hotkeys = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, SubnetState> _subnets = [];
    /// <summary>For a fork: where accounts and hotkeys not read yet are copied from (never written).</summary>
    private readonly IStateSource? _origin;

    public InMemoryChain(ChainRules rules, ulong genesisIssuance, IReadOnlyDictionary<string, ulong>? balances = null,
        Arithmetic arithmetic = Arithmetic.Exact)
    {
        Rules = rules;
        Arithmetic = arithmetic;
        var plan = new ChainPlan(State.Clone(), this, rules);
        ChainRuntime.GenesisAsync(plan, genesisIssuance, balances ?? new Dictionary<string, ulong>()).AsTask().GetAwaiter().GetResult();
        Commit(plan);
    }

    private InMemoryChain(ChainRules rules, ChainState state, IStateSource origin, Arithmetic arithmetic)
    {
        Rules = rules;
        Arithmetic = arithmetic;
        State = state;
        _origin = origin;
        RecordEvents = false;
    }

    /// <summary>
    /// A fork of a running chain, for what-if runs: a copy of <paramref name="state"/> and of every subnet's roster as
    /// <paramref name="origin"/> reads it now; accounts and hotkeys are copied from <paramref name="origin"/> when a plan
    /// first reads them. Nothing is ever written to the origin. The caller keeps the origin still while the fork runs.
    /// </summary>
    public static async Task<InMemoryChain> ForkAsync(ChainRules rules, ChainState state, IStateSource origin, Arithmetic arithmetic = Arithmetic.Exact)
    {
        var copy = state.Clone();
        copy.Journal = [];
        var fork = new InMemoryChain(rules, copy, origin, arithmetic);
        foreach (ushort netuid in copy.Subnets.Keys.Append(RootNetwork.Netuid))
        {
            if (await origin.SubnetAsync(netuid) is not { } roster) continue;
            var own = roster.HeadOnly();
            own.Epochs = [.. roster.Epochs];
            own.Neurons = [.. roster.Neurons.Select(n => n.Clone())];
            fork._subnets[netuid] = own;
        }
        return fork;
    }

    public ChainRules Rules { get; }

    /// <summary>The back end that computes epochs (the network runs Exact; a simulation may choose Fast).</summary>
    public Arithmetic Arithmetic { get; }

    /// <summary>Whether <see cref="Events"/> keeps what happens (a long simulation turns it off: a "Block" event per block adds up).</summary>
    public bool RecordEvents { get; set; } = true;

    public ChainState State { get; private set; } = new();

    /// <summary>Called with each epoch's inputs and outputs in the order they land (a simulation records them as re-runnable cases).</summary>
    public Action<EpochRequest, EpochResult>? EpochRan { get; set; }

    /// <summary>Called with every operation submitted and its result, in order (a simulation records them to replay elsewhere).</summary>
    public Action<Operation, OpResult>? Executed { get; set; }

    /// <summary>Every event so far.</summary>
    public List<ChainEvent> Events { get; } = [];

    /// <summary>
    /// Changes a subnet's roster and economy outside the extrinsics, for a what-if: the command lands as the ledger applies
    /// it (a <see cref="ReplaceHyperparameters"/> also replaces the economy's copy). Not for simulations of agents.
    /// </summary>
    public void Override(ushort netuid, SubnetCommand command)
    {
        var subnet = _subnets[netuid];
        SubnetLedger.Apply(subnet, command);
        subnet.Dirty.Clear();
        if (command is ReplaceHyperparameters h) State.Subnets[netuid].Hyper = h.Hyper;
    }

    public AccountState Account(string address) => _accounts.GetValueOrDefault(address) ?? new AccountState();

    public HotkeyState Hotkey(string address) => _hotkeys.GetValueOrDefault(address) ?? new HotkeyState();

    public SubnetState? Subnet(ushort netuid) => _subnets.GetValueOrDefault(netuid);

    public IReadOnlyCollection<string> Accounts => _accounts.Keys;

    public IReadOnlyCollection<string> Hotkeys => _hotkeys.Keys;

    /// <summary>Validates and applies an operation; a rejection changes nothing.</summary>
    public async Task<OpResult> ExecuteAsync(Operation operation)
    {
        var plan = new ChainPlan(State.Clone(), new Isolated(this), Rules);
        var result = await ChainRuntime.ExecuteAsync(plan, operation);
        if (result.Ok) Commit(plan);
        Executed?.Invoke(operation, result);
        return result;
    }

    /// <summary>Produces one block; due epochs run inline with <see cref="Arithmetic"/>. Returns the epochs that ran.</summary>
    public async Task<IReadOnlyList<EpochStart>> ProduceBlockAsync()
    {
        // A block is never refused (unlike an operation), so its plan changes the chain's state, accounts, hotkeys and
        // rosters themselves rather than copies that would be thrown away: nothing can fail that a copy would have to
        // undo (an exception here is a bug, and leaves the chain unusable either way). Each epoch's inputs are taken
        // before any lands, into arrays of their own.
        if (ComputeEpochsAhead) StartEpochsAhead();
        var plan = new ChainPlan(State, new Direct(this), Rules);
        var starts = ChainRuntime.StepBlock(plan);
        await TimelockReveal.RunAsync(plan, starts); // weights revealed now are inputs of the next block's epochs
        await RootNetwork.AttachAsync(plan, starts);
        // Every epoch's inputs are the roster as it stands (none has landed yet), so the epochs of one block are computed
        // side by side (or were computed ahead) and landed in order.
        var requests = new EpochRequest[starts.Count];
        var results = new EpochResult[requests.Length];
        var ahead = new Task<EpochResult>?[requests.Length];
        int now = 0;
        for (int k = 0; k < requests.Length; k++)
        {
            requests[k] = EpochRequest.From(_subnets[starts[k].Netuid], starts[k]);
            if (ComputeEpochsAhead && TakeAhead(requests[k]) is { } early) ahead[k] = early;
            else now++;
        }
        if (now == 1) { int k = Array.IndexOf(ahead, null); results[k] = Run(requests[k]); }
        else if (now > 1) Parallel.For(0, requests.Length, k => { if (ahead[k] is null) results[k] = Run(requests[k]); });
        for (int k = 0; k < requests.Length; k++)
            if (ahead[k] is { } early) results[k] = early.GetAwaiter().GetResult();
        for (int k = 0; k < requests.Length; k++)
        {
            await ChainRuntime.LandEpochAsync(plan, EpochOutcome.From(requests[k], results[k]));
            EpochRan?.Invoke(requests[k], results[k]);
            // The new bonds land with the epoch's outputs (the grains store them when the CommitEpoch is applied).
            var bonds = results[k].Bonds;
            var rows = new (ushort[], ushort[])[bonds.Rows];
            for (int i = 0; i < rows.Length; i++) rows[i] = (bonds.RowColumns(i).ToArray(), bonds.RowValues(i).ToArray());
            SubnetLedger.ApplyBonds(plan.ReadSubnet(requests[k].Start.Netuid)!, requests[k].AsOfSeq, rows);
        }
        Commit(plan);
        return starts;
    }

    private EpochResult Run(EpochRequest request)
    {
        var (parameters, input) = request.ToEngine();
        return YumaEpoch.Run(parameters, input, Arithmetic);
    }

    /// <summary>The <see cref="Runtime.StateHash"/> of everything this chain holds.</summary>
    public string StateHash() => Runtime.StateHash.Compute(State, _subnets.Values, _accounts, _hotkeys);

    /// <summary>Issuance = Σ free + Σ pools + root stake + reserve + recycled, and each subnet's alpha balances, to the rao.</summary>
    public bool Conserved()
    {
        ulong free = 0;
        foreach (var a in _accounts.Values) free += a.Balance;
        ulong pools = 0;
        foreach (var e in State.Subnets.Values) pools += e.PoolTao;
        if (free != State.FreeTotal || free + pools + State.RootStake + State.GenesisReserve + State.Recycled != State.TotalIssuance) return false;
        ulong onRoot = 0;
        foreach (var h in _hotkeys.Values) onRoot += h.StakeIn(RootNetwork.Netuid);
        if (onRoot != State.RootStake) return false;
        foreach (var e in State.Subnets.Values)
        {
            ulong staked = 0;
            foreach (var h in _hotkeys.Values) staked += h.StakeIn(e.Netuid);
            if (staked != e.AlphaStaked || e.AlphaIssued - e.AlphaBurned != e.PoolAlpha + e.AlphaStaked + e.PendingTotal + e.ProtocolAlpha + e.RootClaimableAlpha) return false;
        }
        return true;
    }

    /// <summary>
    /// Stores a plan. The plan's copies of what it read already hold every change it made, through the same ledger the
    /// grains apply the batch with (one command at a time, in order): they replace the originals (the originals were
    /// not touched meanwhile, this chain runs one plan at a time). Only hotkeys the plan credited without reading get
    /// the batch's changes applied here.
    /// </summary>
    private void Commit(ChainPlan plan)
    {
        var batch = plan.ToBatch();
        foreach (var command in batch.Commands)
        {
            switch (command)
            {
                case AccountCommand a:
                    _accounts[a.Address] = plan.ReadAccount(a.Address) ?? throw new InvalidOperationException($"the plan changed account {a.Address} without reading it");
                    break;
                case HotkeyCommand h:
                    if (plan.ReadHotkey(h.Address) is { } read) _hotkeys[h.Address] = read;
                    else KeyLedger.Apply(_hotkeys.TryGetValue(h.Address, out var hotkey) ? hotkey : _hotkeys[h.Address] = new HotkeyState(), h.Change);
                    break;
                case SubnetCommandFor s:
                    var subnet = plan.ReadSubnet(s.Netuid) ?? throw new InvalidOperationException($"the plan changed subnet {s.Netuid} without reading it");
                    subnet.Adopt();
                    subnet.LastSeq = batch.Seq;
                    subnet.Dirty.Clear();
                    _subnets[s.Netuid] = subnet;
                    break;
            }
        }
        plan.Chain.Seq = batch.Seq;
        State = plan.Chain;
        if (RecordEvents && batch.Commands[^1] is LogCommand log)
            for (int i = 0; i < log.Events.Length; i++) Events.Add(log.Events[i] with { Id = log.FirstEventId + i });
    }

    ValueTask<AccountState> IStateSource.AccountAsync(string address) => ValueTask.FromResult(Account(address));

    ValueTask<HotkeyState> IStateSource.HotkeyAsync(string address) => ValueTask.FromResult(Hotkey(address));

    ValueTask<SubnetState?> IStateSource.SubnetAsync(ushort netuid) => ValueTask.FromResult(Subnet(netuid));

    /// <summary>What a block's plan reads: the chain's own accounts, hotkeys and rosters (a fork's copied from its origin first).</summary>
    private sealed class Direct(InMemoryChain chain) : IStateSource
    {
        public async ValueTask<AccountState> AccountAsync(string address)
        {
            if (chain._accounts.TryGetValue(address, out var account)) return account;
            return chain._origin is { } origin ? chain._accounts[address] = (await origin.AccountAsync(address)).Clone() : new AccountState();
        }

        public async ValueTask<HotkeyState> HotkeyAsync(string address)
        {
            if (chain._hotkeys.TryGetValue(address, out var hotkey)) return hotkey;
            return chain._origin is { } origin ? chain._hotkeys[address] = (await origin.HotkeyAsync(address)).Clone() : new HotkeyState();
        }

        public ValueTask<SubnetState?> SubnetAsync(ushort netuid) => ValueTask.FromResult(chain.Subnet(netuid));
    }

    /// <summary>What an operation's plan reads: copies of accounts and hotkeys, and subnets restored if the plan is dropped.</summary>
    private sealed class Isolated(InMemoryChain chain) : IStateSource
    {
        public async ValueTask<AccountState> AccountAsync(string address)
        {
            if (chain._origin is { } origin && !chain._accounts.ContainsKey(address))
                chain._accounts[address] = (await origin.AccountAsync(address)).Clone();
            return chain.Account(address).Clone();
        }

        public async ValueTask<HotkeyState> HotkeyAsync(string address)
        {
            if (chain._origin is { } origin && !chain._hotkeys.ContainsKey(address))
                chain._hotkeys[address] = (await origin.HotkeyAsync(address)).Clone();
            return chain.Hotkey(address).Clone();
        }

        public ValueTask<SubnetState?> SubnetAsync(ushort netuid) => ValueTask.FromResult(chain.Subnet(netuid)?.ShareRows());
    }
}
