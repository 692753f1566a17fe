using Bittensor.Consensus;

namespace Bittensor.Runtime;

/// <summary>
/// The runtime on plain dictionaries, in one thread: the same plans and ledgers as the grains, with epochs computed
/// inline (they always land in the block they start). For simulations, what-if runs and tests of the rules; nothing in
/// it depends on wall time, so a run is reproducible.
/// </summary>
public sealed class InMemoryChain : IStateSource
{
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HotkeyState> _hotkeys = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, SubnetState> _subnets = [];

    public InMemoryChain(ChainRules rules, ulong genesisIssuance, IReadOnlyDictionary<string, ulong>? balances = null,
        Arithmetic arithmetic = Arithmetic.Exact)
    {
        Rules = rules;
        Arithmetic = arithmetic;
        var plan = new ChainPlan(State.Clone(), this, rules);
        ChainRuntime.GenesisAsync(plan, genesisIssuance, balances ?? new Dictionary<string, ulong>()).AsTask().GetAwaiter().GetResult();
        Commit(plan);
    }

    public ChainRules Rules { get; }

    /// <summary>The back end that computes epochs (the network runs Exact; a simulation may choose Fast).</summary>
    public Arithmetic Arithmetic { get; }

    /// <summary>Whether <see cref="Events"/> keeps what happens (a long simulation turns it off: a "Block" event per block adds up).</summary>
    public bool RecordEvents { get; set; } = true;

    public ChainState State { get; private set; } = new();

    /// <summary>Called with each epoch's inputs and outputs in the order they land (a simulation records them as re-runnable cases).</summary>
    public Action<EpochRequest, EpochResult>? EpochRan { get; set; }

    /// <summary>Every event so far.</summary>
    public List<ChainEvent> Events { get; } = [];

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
        return result;
    }

    /// <summary>Produces one block; due epochs run inline with <see cref="Arithmetic"/>. Returns the epochs that ran.</summary>
    public async Task<IReadOnlyList<EpochStart>> ProduceBlockAsync()
    {
        var plan = new ChainPlan(State.Clone(), new Isolated(this), Rules);
        var starts = ChainRuntime.StepBlock(plan);
        // Every epoch's inputs are the roster as it stands (landing changes only the plan's copies), so the epochs of one
        // block are computed side by side and landed in order.
        var requests = starts.Select(start => EpochRequest.From(_subnets[start.Netuid], start)).ToArray();
        var results = new EpochResult[requests.Length];
        if (requests.Length == 1) results[0] = Run(requests[0]);
        else Parallel.For(0, requests.Length, k => results[k] = Run(requests[k]));
        for (int k = 0; k < requests.Length; k++)
        {
            await ChainRuntime.LandEpochAsync(plan, EpochOutcome.From(requests[k], results[k]));
            EpochRan?.Invoke(requests[k], results[k]);
            var bonds = results[k].Bonds;
            _pendingBonds[requests[k].Start.Netuid] = (requests[k].AsOfSeq, [.. Enumerable.Range(0, bonds.Rows).Select(i => (bonds.RowColumns(i).ToArray(), bonds.RowValues(i).ToArray()))]);
        }
        Commit(plan);
        return starts;
    }

    private EpochResult Run(EpochRequest request)
    {
        var (parameters, input) = request.ToEngine();
        return YumaEpoch.Run(parameters, input, Arithmetic);
    }

    private readonly Dictionary<ushort, (long AsOfSeq, List<(ushort[], ushort[])> Rows)> _pendingBonds = [];

    /// <summary>Issuance = Σ free + Σ pools + reserve + recycled, and each subnet's alpha balances, to the rao.</summary>
    public bool Conserved()
    {
        ulong free = 0;
        foreach (var a in _accounts.Values) free += a.Balance;
        ulong pools = 0;
        foreach (var e in State.Subnets.Values) pools += e.PoolTao;
        if (free != State.FreeTotal || free + pools + State.GenesisReserve + State.Recycled != State.TotalIssuance) return false;
        foreach (var e in State.Subnets.Values)
        {
            ulong staked = 0;
            foreach (var h in _hotkeys.Values) staked += h.StakeIn(e.Netuid);
            if (staked != e.AlphaStaked || e.AlphaIssued - e.AlphaBurned != e.PoolAlpha + e.AlphaStaked + e.PendingTotal + e.ProtocolAlpha) return false;
        }
        return true;
    }

    private void Commit(ChainPlan plan)
    {
        var batch = plan.ToBatch();
        foreach (var command in batch.Commands)
        {
            switch (command)
            {
                case AccountCommand a:
                    KeyLedger.Apply(_accounts.TryGetValue(a.Address, out var account) ? account : _accounts[a.Address] = new AccountState(), a.Change);
                    break;
                case HotkeyCommand h:
                    KeyLedger.Apply(_hotkeys.TryGetValue(h.Address, out var hotkey) ? hotkey : _hotkeys[h.Address] = new HotkeyState(), h.Change);
                    break;
                case SubnetCommandFor s:
                    var subnet = _subnets.TryGetValue(s.Netuid, out var existing) ? existing : _subnets[s.Netuid] = new SubnetState();
                    SubnetLedger.Apply(subnet, s.Command);
                    if (s.Command is CommitEpoch && _pendingBonds.Remove(s.Netuid, out var bonds)) SubnetLedger.ApplyBonds(subnet, bonds.AsOfSeq, bonds.Rows);
                    subnet.LastSeq = batch.Seq;
                    subnet.Dirty.Clear();
                    break;
            }
        }
        plan.Chain.Seq = batch.Seq;
        State = plan.Chain;
        if (RecordEvents) Events.AddRange(plan.Events);
    }

    ValueTask<AccountState> IStateSource.AccountAsync(string address) => ValueTask.FromResult(Account(address));

    ValueTask<HotkeyState> IStateSource.HotkeyAsync(string address) => ValueTask.FromResult(Hotkey(address));

    ValueTask<SubnetState?> IStateSource.SubnetAsync(ushort netuid) => ValueTask.FromResult(Subnet(netuid));

    /// <summary>What a plan reads: copies of accounts and hotkeys, and subnets restored if the plan is dropped.</summary>
    private sealed class Isolated(InMemoryChain chain) : IStateSource
    {
        public ValueTask<AccountState> AccountAsync(string address) => ValueTask.FromResult(chain.Account(address).Clone());

        public ValueTask<HotkeyState> HotkeyAsync(string address) => ValueTask.FromResult(chain.Hotkey(address).Clone());

        public ValueTask<SubnetState?> SubnetAsync(ushort netuid) => ValueTask.FromResult(chain.Subnet(netuid)?.ShareRows());
    }
}
