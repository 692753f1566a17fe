using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>
/// The chain's own state: clock, supply, every subnet's economy (pool, pending emission, epoch clock), the running
/// sums the audit checks, and the write-ahead batch. Nothing in it grows with the number of users or neurons.
/// </summary>
[GenerateSerializer, Alias("Bittensor.Runtime.ChainState")]
public sealed class ChainState
{
    [Id(0)] public bool Initialized { get; set; }
    [Id(1)] public ulong Block { get; set; }
    [Id(2)] public ulong TotalIssuance { get; set; }
    [Id(3)] public ulong GenesisReserve { get; set; }
    [Id(4)] public ulong Recycled { get; set; }
    [Id(5)] public Dictionary<ushort, SubnetEconomy> Subnets { get; set; } = [];
    /// <summary>Running Σ of every account's free balance (the audit's fast check; a full audit re-counts it).</summary>
    [Id(6)] public ulong FreeTotal { get; set; }
    /// <summary>Accounts and hotkeys ever changed (each listed once in the sharded address index).</summary>
    [Id(7)] public ulong AccountCount { get; set; }
    [Id(8)] public ulong HotkeyCount { get; set; }
    [Id(9)] public ulong LastLockCost { get; set; }
    [Id(10)] public ulong LastLockBlock { get; set; }
    [Id(11)] public long Seq { get; set; }
    /// <summary>Journaled batches not yet known to be applied to every grain they address, oldest first.</summary>
    [Id(14)] public List<Batch> Journal { get; set; } = [];
    [Id(13)] public ulong EpochsRun { get; set; }
    /// <summary>
    /// The chain's identity beside its id: a BLAKE2b-256 hash of the genesis (id, issuance, balances and a random salt
    /// drawn once), so a payload signed for one deployment is refused by every other, even one with the same chain id.
    /// </summary>
    [Id(15)] public string? GenesisHash { get; set; }
    /// <summary>Events ever journaled: the last event id (ids are 1, 2, 3… in the order the chain applied them).</summary>
    [Id(30)] public ulong EventCount { get; set; }
    /// <summary>Block of the last subnet creation (null: none yet), for <see cref="ChainRules.NetworkRateLimit"/>.</summary>
    [Id(16)] public ulong? LastNetworkBlock { get; set; }
    /// <summary>Σ transaction fees burned (taken from free balances and from the issuance; see <see cref="Fees"/>), rao.</summary>
    [Id(17)] public ulong FeesBurned { get; set; }
    /// <summary>Σ TAO staked on the root network (subtensor's <c>SubnetTAO[root]</c>), rao; counted by the audit.</summary>
    [Id(18)] public ulong RootStake { get; set; }

    /// <summary>The subnets in netuid order (the order every block visits them).</summary>
    public IEnumerable<SubnetEconomy> Ordered => OrderedList();

    /// <summary>The subnets in netuid order, as a new list (sorted only when the dictionary's order is not already ascending).</summary>
    public List<SubnetEconomy> OrderedList()
    {
        var list = new List<SubnetEconomy>(Subnets.Count);
        bool ascending = true;
        int previous = -1;
        foreach (var (netuid, economy) in Subnets)
        {
            ascending &= netuid > previous;
            previous = netuid;
            list.Add(economy);
        }
        if (!ascending) list.Sort(static (a, b) => a.Netuid.CompareTo(b.Netuid));
        return list;
    }

    /// <summary>A copy that a plan may change; the original stays as it was until the plan is stored.</summary>
    public ChainState Clone()
    {
        var copy = (ChainState)MemberwiseClone();
        var subnets = new Dictionary<ushort, SubnetEconomy>(Subnets.Count);
        foreach (var (netuid, economy) in Subnets) subnets.Add(netuid, economy.Clone()); // the same order as the original
        copy.Subnets = subnets;
        copy.Journal = [.. Journal];
        return copy;
    }
}

/// <summary>A subnet's economy, kept by the chain: owner, hyperparameters, pool, pending emission, epoch clock.</summary>
[GenerateSerializer, Alias("Bittensor.Runtime.SubnetEconomy")]
public sealed class SubnetEconomy
{
    [Id(0)] public ushort Netuid { get; set; }
    [Id(1)] public string OwnerColdkey { get; set; } = "";
    [Id(2)] public string OwnerHotkey { get; set; } = "";
    [Id(3)] public ulong RegisteredAt { get; set; }
    [Id(4)] public SubnetHyperparameters Hyper { get; set; } = new();
    [Id(5)] public ulong Lock { get; set; }
    [Id(6)] public ulong PoolTao { get; set; }
    [Id(7)] public ulong PoolAlpha { get; set; }
    [Id(8)] public double MovingPrice { get; set; }
    [Id(9)] public ulong AlphaIssued { get; set; }
    [Id(10)] public ulong AlphaStaked { get; set; }
    [Id(11)] public ulong ProtocolAlpha { get; set; }
    [Id(12)] public ulong AlphaBurned { get; set; }
    [Id(13)] public ulong PendingServer { get; set; }
    [Id(14)] public ulong PendingValidator { get; set; }
    [Id(15)] public ulong PendingOwnerCut { get; set; }
    [Id(16)] public ulong Burn { get; set; }
    [Id(17)] public ulong LastEpochBlock { get; set; }
    [Id(18)] public ulong PendingEpochAt { get; set; }
    [Id(19)] public ulong BlocksSinceLastStep { get; set; }
    [Id(20)] public ulong EpochIndex { get; set; }
    [Id(21)] public int N { get; set; }
    /// <summary>An epoch whose outcome is being computed off the block path, with the emission it will distribute.</summary>
    [Id(22)] public EpochInFlight? InFlight { get; set; }

    /// <summary>
    /// The block of the owner's <c>start_call</c> (subtensor's <c>FirstEmissionBlockNumber</c> − 1); null for a subnet that
    /// waits for it, and for one started at creation (then its moving price counts from <see cref="RegisteredAt"/>).
    /// </summary>
    [Id(23)] public ulong? StartCallBlock { get; set; }

    /// <summary>Created but not started: no TAO or alpha emission until the owner calls <c>start_call</c> (false for a subnet stored before start_call existed).</summary>
    [Id(26)] public bool AwaitingStartCall { get; set; }

    /// <summary>The owner's identity for the subnet (<c>set_subnet_identity</c>), or null when none was set.</summary>
    [Id(24)] public SubnetIdentity? Identity { get; set; }

    /// <summary>Block of the last owner hotkey change (0: never), for its rate limit (<c>sudo_set_sn_owner_hotkey</c>).</summary>
    [Id(25)] public ulong OwnerHotkeySetAt { get; set; }

    /// <summary>Whether the subnet takes part in emission (subtensor: <c>FirstEmissionBlockNumber</c> is set).</summary>
    public bool Started => !AwaitingStartCall;

    /// <summary>The block the moving price counts from: the start call, else the creation.</summary>
    public ulong EmissionStartBlock => StartCallBlock ?? RegisteredAt;

    /// <summary>
    /// Timelocked weight commits not yet revealed (subtensor's <c>TimelockedWeightCommits</c>), in commit order; the block
    /// step decrypts and applies them (see <see cref="TimelockReveal"/>).
    /// </summary>
    [Id(27)]
    public ImmutableArray<TimelockedCommit> Timelocked
    {
        get => _timelocked.IsDefault ? [] : _timelocked; // a state stored before timelocked commits has none
        set => _timelocked = value;
    }

    [NonSerialized] private ImmutableArray<TimelockedCommit> _timelocked = [];

    /// <summary>Alpha minted but not yet distributed (pending plus an epoch in flight).</summary>
    public ulong PendingTotal => PendingServer + PendingValidator + PendingOwnerCut + PendingRootAlpha + (InFlight is { } f ? f.Server + f.Validator + f.OwnerCut + f.Root : 0);

    /// <summary>
    /// The pool's TAO weight <c>w2</c> in parts of 10¹⁸ (spec §5a, subtensor's <c>SwapBalancer</c>); 0 in a state stored
    /// before weights moved, read as ½. See <see cref="QuoteWeight"/>.
    /// </summary>
    [Id(41)] public ulong StoredQuoteWeight { get; set; }

    /// <summary>The pool's TAO weight (½ = constant product until protocol liquidity moves it).</summary>
    public ulong QuoteWeight
    {
        get => StoredQuoteWeight == 0 ? PoolMath.Half : StoredQuoteWeight;
        set => StoredQuoteWeight = value == PoolMath.Half ? 0 : value;
    }

    /// <summary>Root's share of the validators' alpha accrued each block (<c>PendingRootAlphaDivs</c>), distributed at the next epoch.</summary>
    [Id(42)] public ulong PendingRootAlpha { get; set; }

    /// <summary>
    /// Alpha paid as root dividends and not yet claimed by root stakers (subtensor's outstanding root alpha behind
    /// <c>RootClaimable</c>); a claim stakes it (Keep) or sells it into the pool (Swap). Part of the alpha audit.
    /// </summary>
    [Id(43)] public ulong RootClaimableAlpha { get; set; }

    /// <summary>Root alpha recycled because Σ moving prices ≤ 1 (<c>get_network_root_sell_flag</c>); counted in <see cref="AlphaBurned"/> too.</summary>
    [Id(44)] public ulong RootAlphaRecycled { get; set; }

    /// <summary>
    /// The block at which the owner last set each hyperparameter (for the owner's rate limit; one entry per name). Replaced,
    /// never changed in place: copies of the economy share it.
    /// </summary>
    [Id(40)] public Dictionary<string, ulong> HyperparameterSetAt { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy for a plan (it shares <see cref="HyperparameterSetAt"/>, which is replaced, never changed in place).</summary>
    public SubnetEconomy Clone() => (SubnetEconomy)MemberwiseClone();
}

/// <summary>
/// A timelocked weight commit: the hotkey <see cref="Who"/> committed <see cref="Commit"/> (a <see cref="Keys.TimelockCipher"/>
/// ciphertext) at <see cref="Block"/> in the subnet's epoch <see cref="Epoch"/>, to be decrypted with beacon round
/// <see cref="RevealRound"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.TimelockedCommit")]
public sealed record TimelockedCommit(
    [property: Id(0)] string Who, [property: Id(1)] ulong Epoch, [property: Id(2)] ulong Block, [property: Id(3)] byte[] Commit,
    [property: Id(4)] ulong RevealRound);

/// <summary>An epoch started at <see cref="Block"/> whose outcome has not landed yet; its emission is set aside.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.EpochInFlight")]
public sealed record EpochInFlight(
    [property: Id(0)] ulong Index, [property: Id(1)] ulong Block, [property: Id(2)] ulong Server,
    [property: Id(3)] ulong Validator, [property: Id(4)] ulong OwnerCut)
{
    /// <summary>Root alpha dividends set aside with the epoch (<c>PendingRootAlphaDivs</c>).</summary>
    [Id(5)] public ulong Root { get; init; }
}

/// <summary>An account's state.</summary>
[GenerateSerializer, Alias("Bittensor.Runtime.AccountState")]
public sealed class AccountState : IVersionedState
{
    [Id(0)] public ulong Balance { get; set; }
    [Id(1)] public ulong Nonce { get; set; }
    [Id(2)] public List<string> Hotkeys { get; set; } = [];
    [Id(3)] public long LastSeq { get; set; }
    [Id(4)] public bool Indexed { get; set; }
    /// <summary>Receipts of the signer's last applied transactions, oldest first (at most <see cref="MaxReceipts"/>).</summary>
    [Id(5)] public List<TransactionReceipt> Receipts { get; set; } = [];
    /// <summary>Block of the last batch applied to this account (0: never, or stored before it was recorded).</summary>
    [Id(6)] public ulong ChangedAt { get; set; }

    /// <summary>How the account's root dividends are claimed (<c>set_root_claim_type</c>; default Swap).</summary>
    [Id(7)] public RootClaimType RootClaimType { get; set; }
    /// <summary>Hotkeys this account has staked on in root, in first-stake order (what <c>claim_root</c> visits).</summary>
    [Id(8)] public List<string> RootHotkeys { get; set; } = [];

    /// <summary>How many receipts an account keeps: a resubmission older than that is answered StaleNonce.</summary>
    public const int MaxReceipts = 16;

    public AccountState Clone()
    {
        var copy = (AccountState)MemberwiseClone();
        copy.Hotkeys = [.. Hotkeys];
        copy.Receipts = [.. Receipts];
        copy.RootHotkeys = [.. RootHotkeys];
        return copy;
    }
}

/// <summary>A hotkey's state.</summary>
[GenerateSerializer, Alias("Bittensor.Runtime.HotkeyState")]
public sealed class HotkeyState : IVersionedState
{
    [Id(0)] public string? Owner { get; set; }
    [Id(1)] public Dictionary<ushort, ushort> Registrations { get; set; } = [];
    [Id(2)] public Dictionary<string, ulong> Stakes { get; set; } = []; // "netuid|coldkey" → alpha
    [Id(3)] public ushort Take { get; set; } = DefaultTake;
    [Id(4)] public Dictionary<ushort, AxonInfo> Axons { get; set; } = [];
    [Id(5)] public long LastSeq { get; set; }
    [Id(6)] public bool Indexed { get; set; }
    /// <summary>Block of the last take change (0: never), for the rate limit on increases (<c>LastTxBlockDelegateTake</c>).</summary>
    [Id(7)] public ulong TakeChangedAt { get; set; }
    /// <summary>Block of the last batch applied to this hotkey (0: never, or stored before it was recorded).</summary>
    [Id(8)] public ulong ChangedAt { get; set; }

    /// <summary>Root dividends accrued per rao of root stake on the hotkey, per subnet (U96F32 bits; <c>RootClaimable</c>).</summary>
    [Id(9)] public Dictionary<ushort, ulong> RootClaimable { get; set; } = [];
    /// <summary>Root dividends claimed (or deemed claimed) per "netuid|coldkey", alpha rao (<c>RootClaimed</c>).</summary>
    [Id(10)] public Dictionary<string, ulong> RootClaimed { get; set; } = [];
    /// <summary>Per subnet with a root claimable rate, the registration block of the subnet it accrued on (see <see cref="RootClaimableRate.Generation"/>).</summary>
    [Id(11)] public Dictionary<ushort, ulong> RootClaimableGeneration { get; set; } = [];

    /// <summary>Default and maximum delegate take: 18% of 65535.</summary>
    public const ushort DefaultTake = 11_796;

    /// <summary>Alpha staked on this hotkey in <paramref name="netuid"/>, all nominators together.</summary>
    public ulong StakeIn(ushort netuid)
    {
        string prefix = $"{netuid}|";
        ulong total = 0;
        foreach (var (key, alpha) in Stakes) if (key.StartsWith(prefix, StringComparison.Ordinal)) total += alpha;
        return total;
    }

    /// <summary>How many coldkeys stake on this hotkey in <paramref name="netuid"/>.</summary>
    public int NominatorsIn(ushort netuid)
    {
        string prefix = $"{netuid}|";
        return Stakes.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    public HotkeyState Clone()
    {
        var copy = (HotkeyState)MemberwiseClone();
        copy.Registrations = new(Registrations);
        copy.Stakes = new(Stakes);
        copy.Axons = new(Axons);
        copy.RootClaimable = new(RootClaimable);
        copy.RootClaimed = new(RootClaimed);
        copy.RootClaimableGeneration = new(RootClaimableGeneration);
        return copy;
    }
}

/// <summary>One UID of a subnet.</summary>
[GenerateSerializer, Alias("Bittensor.Runtime.Neuron")]
public sealed class Neuron
{
    [Id(0)] public required string Hotkey { get; set; }
    [Id(1)] public required string Coldkey { get; set; }
    [Id(2)] public ulong BlockAtRegistration { get; set; }
    [Id(3)] public ulong LastUpdate { get; set; }
    [Id(4)] public ushort[] WeightColumns { get; set; } = [];
    [Id(5)] public ushort[] WeightValues { get; set; } = [];
    [Id(6)] public ushort[] BondColumns { get; set; } = [];
    [Id(7)] public ushort[] BondValues { get; set; } = [];
    [Id(8)] public bool ValidatorPermit { get; set; }
    [Id(9)] public ushort StakeWeight { get; set; }
    [Id(10)] public ushort Consensus { get; set; }
    [Id(11)] public ushort Incentive { get; set; }
    [Id(12)] public ushort Dividends { get; set; }
    [Id(13)] public ushort ValidatorTrust { get; set; }
    [Id(14)] public ulong Emission { get; set; }
    [Id(15)] public bool Active { get; set; }
    /// <summary>Alpha staked on this neuron's hotkey in the subnet (mirrors the hotkey's stakes).</summary>
    [Id(16)] public ulong Stake { get; set; }
    [Id(17)] public AxonInfo? Axon { get; set; }
    /// <summary>Sequence number of the batch that registered this hotkey at this UID.</summary>
    [Id(18)] public long RegisteredSeq { get; set; }
    /// <summary>Root TAO the last epoch counted for this UID (inherited through childkeys), rao; 0 without root stake.</summary>
    [Id(20)] public ulong TaoStake { get; set; }
    /// <summary>tao_weight · <see cref="TaoStake"/> as the last epoch counted it, whole rao (the root part of the stake weight).</summary>
    [Id(21)] public ulong TaoWeighted { get; set; }
    /// <summary>
    /// The hotkey's unrevealed weight commits on this subnet, oldest first (subtensor's <c>WeightCommits</c> queue), at most
    /// <see cref="CommitReveal.MaxUnrevealedCommits"/>; stored apart from the page (see <see cref="SubnetParts.Commits"/>).
    /// </summary>
    [Id(19)]
    public ImmutableArray<WeightCommit> Commits
    {
        get => _commits.IsDefault ? [] : _commits; // a state stored before commit-reveal has none
        set => _commits = value;
    }

    [NonSerialized] private ImmutableArray<WeightCommit> _commits = [];

    /// <summary>A deep copy.</summary>
    public Neuron Clone()
    {
        var copy = (Neuron)MemberwiseClone();
        copy.WeightColumns = [.. WeightColumns];
        copy.WeightValues = [.. WeightValues];
        copy.BondColumns = [.. BondColumns];
        copy.BondValues = [.. BondValues];
        return copy;
    }

    /// <summary>A copy that shares the weight and bond rows: the ledger replaces a row, it never writes into one.</summary>
    public Neuron ShareRows() => (Neuron)MemberwiseClone();

    /// <summary>A copy without the weight and bond rows and the commits (they are stored apart).</summary>
    public Neuron WithoutMatrices()
    {
        var copy = (Neuron)MemberwiseClone();
        copy.WeightColumns = copy.WeightValues = copy.BondColumns = copy.BondValues = [];
        copy.Commits = [];
        return copy;
    }
}

/// <summary>
/// A subnet's neurons: the roster with weights, bonds and the last epoch's outputs, and the epoch history. Its economy
/// (pool, pending emission) lives in the chain's <see cref="SubnetEconomy"/>; the hyperparameters are mirrored here.
/// </summary>
[GenerateSerializer, Alias("Bittensor.Runtime.SubnetState")]
public sealed class SubnetState : IVersionedState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public ushort Netuid { get; set; }
    [Id(2)] public string OwnerColdkey { get; set; } = "";
    [Id(3)] public string OwnerHotkey { get; set; } = "";
    [Id(4)] public ulong RegisteredAt { get; set; }
    [Id(5)] public SubnetHyperparameters Hyper { get; set; } = new();
    [Id(6)] public List<Neuron> Neurons { get; set; } = [];
    [Id(7)] public List<EpochSummary> Epochs { get; set; } = [];
    [Id(8)] public long LastSeq { get; set; }
    /// <summary>Block of the last change applied to this subnet.</summary>
    [Id(9)] public ulong CurrentBlock { get; set; }
    [Id(10)] public ulong LastMechanismStepBlock { get; set; }
    [Id(11)] public ulong EpochIndex { get; set; }
    /// <summary>Block of the last batch applied to this subnet (0: never, or stored before it was recorded).</summary>
    [Id(12)] public ulong ChangedAt { get; set; }
    /// <summary>
    /// Alpha staked in this subnet per hotkey, registered or not (every stake change reaches the subnet as a
    /// <see cref="NeuronStake"/>): the stakers a dissolution pays out. Replaced, never changed in place (copies share it).
    /// </summary>
    [Id(13)]
    public ImmutableDictionary<string, ulong> StakedHotkeys
    {
        get
        {
            if (_laterCredits is { Count: > 0 }) FoldCredits();
            return _stakedHotkeys;
        }
        set
        {
            _stakedHotkeys = value;
            _laterCredits = null;
        }
    }

    [NonSerialized] private ImmutableDictionary<string, ulong> _stakedHotkeys = ImmutableDictionary.Create<string, ulong>(StringComparer.Ordinal);
    /// <summary>Epoch credits not yet in <see cref="StakedHotkeys"/>, summed per hotkey (added when it is next read).</summary>
    [NonSerialized] private Dictionary<string, ulong>? _laterCredits;

    /// <summary>
    /// Adds an epoch's credit (alpha &gt; 0) to <see cref="StakedHotkeys"/> when the index is next read or the roster
    /// copied: epochs of a long simulation land one after another with no one reading it, and a hotkey's credits of
    /// many epochs then take one change of the tree, not one each. Credits only add, so the sum is the same either way.
    /// </summary>
    public void CreditLater(string hotkey, ulong alpha)
    {
        var credits = _laterCredits ??= new(StringComparer.Ordinal);
        credits[hotkey] = checked(credits.GetValueOrDefault(hotkey) + alpha);
    }

    private void FoldCredits()
    {
        var index = _stakedHotkeys.ToBuilder();
        foreach (var (hotkey, alpha) in _laterCredits!) SubnetLedger.Staked(index, hotkey, checked((long)alpha));
        _stakedHotkeys = index.ToImmutable();
        _laterCredits = null;
    }
    /// <summary>Whether <see cref="StakedHotkeys"/> has counted every stake since creation (false for a subnet stored before it existed: such a subnet is never dissolved).</summary>
    [Id(14)] public bool StakersIndexed { get; set; }
    /// <summary>Childkeys in force: each parent's children (proportion, hotkey), in hotkey order (subtensor's <c>ChildKeys</c>; parents are derived).</summary>
    [Id(15)] public ImmutableDictionary<string, ImmutableArray<ChildLink>> Children { get; set; } = ImmutableDictionary.Create<string, ImmutableArray<ChildLink>>(StringComparer.Ordinal);
    /// <summary>Children scheduled by <c>set_children</c>, per parent, waiting for their cooldown (subtensor's <c>PendingChildKeys</c>).</summary>
    [Id(16)] public ImmutableDictionary<string, PendingChildren> PendingChildren { get; set; } = ImmutableDictionary.Create<string, PendingChildren>(StringComparer.Ordinal);
    /// <summary>Childkey take per hotkey in this subnet, in parts of 65 535 (absent: 0).</summary>
    [Id(17)] public ImmutableDictionary<string, ushort> ChildkeyTakes { get; set; } = ImmutableDictionary.Create<string, ushort>(StringComparer.Ordinal);
    /// <summary>Block of each hotkey's last <c>set_children</c> here (its rate limit).</summary>
    [Id(18)] public ImmutableDictionary<string, ulong> ChildrenSetAt { get; set; } = ImmutableDictionary.Create<string, ulong>(StringComparer.Ordinal);
    /// <summary>Block of each hotkey's last <c>set_childkey_take</c> here (the rate limit of increases).</summary>
    [Id(19)] public ImmutableDictionary<string, ulong> ChildkeyTakeSetAt { get; set; } = ImmutableDictionary.Create<string, ulong>(StringComparer.Ordinal);

    [NonSerialized] private Dictionary<string, int>? _uids;
    [NonSerialized] private HashSet<string>? _dirty;
    /// <summary>On a <see cref="ShareRows"/> copy, which neurons are still the original's objects (copied before a change).</summary>
    [NonSerialized] private bool[]? _shared;

    /// <summary>Storage parts changed since the last write (see <c>SubnetParts</c>); not stored.</summary>
    public HashSet<string> Dirty => _dirty ??= [];

    public int UidOf(string hotkey)
    {
        if (_uids is null)
        {
            _uids = new Dictionary<string, int>(Neurons.Count, StringComparer.Ordinal);
            for (int i = 0; i < Neurons.Count; i++) _uids[Neurons[i].Hotkey] = i;
        }
        return _uids.TryGetValue(hotkey, out int uid) ? uid : -1;
    }

    /// <summary>Forgets the hotkey → UID index after the roster changed.</summary>
    public void RosterChanged() => _uids = null;

    public ulong StakeOfUid(int uid) => Neurons[uid].Stake;

    /// <summary>
    /// A copy for a plan that may be dropped: its own list of the same neuron objects, each copied (sharing its weight and
    /// bond rows: the ledger replaces rows, never writes into them) the first time the ledger changes it, see
    /// <see cref="Writable"/>; and the hotkey → UID index (replaced, never changed). A plan that sets one validator's
    /// weights copies one neuron, not the roster.
    /// </summary>
    public SubnetState ShareRows()
    {
        var copy = HeadOnly();
        copy.Epochs = [.. Epochs];
        copy.Neurons = [.. Neurons];
        copy._shared = new bool[Neurons.Count];
        Array.Fill(copy._shared, true);
        copy._uids = _uids;
        return copy;
    }

    /// <summary>
    /// Neuron <paramref name="uid"/> for the ledger to change in place: on a <see cref="ShareRows"/> copy, its own copy the
    /// first time (the original belongs to the roster the copy was taken from); otherwise the neuron itself.
    /// </summary>
    public Neuron Writable(int uid)
    {
        var n = Neurons[uid];
        if (_shared is { } shared && uid < shared.Length && shared[uid])
        {
            shared[uid] = false;
            Neurons[uid] = n = n.ShareRows();
        }
        return n;
    }

    /// <summary>This copy replaces the roster it was taken from: every neuron in it is its own from now on.</summary>
    public void Adopt() => _shared = null;

    /// <summary>Puts a new neuron at <paramref name="uid"/> (this copy's own).</summary>
    public void Replace(int uid, Neuron neuron)
    {
        Neurons[uid] = neuron;
        if (_shared is { } shared && uid < shared.Length) shared[uid] = false;
    }

    /// <summary>A copy of everything but the neurons (they are stored in pages).</summary>
    public SubnetState HeadOnly()
    {
        if (_laterCredits is { Count: > 0 }) FoldCredits(); // the copy shares the index (replaced, never changed in place)
        var copy = (SubnetState)MemberwiseClone();
        copy.Neurons = [];
        copy._uids = null;
        copy._dirty = null;
        copy._shared = null;
        return copy;
    }
}

/// <summary>One atomic unit of change: commands for several grains, journaled before they are applied.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.Batch")]
public sealed record Batch([property: Id(0)] long Seq, [property: Id(1)] ulong Block, [property: Id(2)] ImmutableArray<GrainCommand> Commands);

/// <summary>A change addressed to one grain.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.GrainCommand")]
public abstract record GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.AccountCommand")]
public sealed record AccountCommand([property: Id(0)] string Address, [property: Id(1)] AccountChange Change) : GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.HotkeyCommand")]
public sealed record HotkeyCommand([property: Id(0)] string Address, [property: Id(1)] HotkeyChange Change) : GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.SubnetCommandFor")]
public sealed record SubnetCommandFor([property: Id(0)] ushort Netuid, [property: Id(1)] SubnetCommand Command) : GrainCommand;

/// <summary>Lists an address in the sharded address index (the full audit's scan list), once.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.IndexCommand")]
public sealed record IndexCommand([property: Id(0)] AddressKind Kind, [property: Id(1)] string Address) : GrainCommand
{
    /// <summary>Shards of the address index; each holds about 1/256 of the addresses.</summary>
    public const int Shards = 256;

    public int Shard => ShardOf(Address);

    public static int ShardOf(string address)
    {
        uint h = 2166136261;
        foreach (char c in address) h = (h ^ c) * 16777619;
        return (int)(h % Shards);
    }
}

public enum AddressKind : byte { Account = 0, Hotkey = 1 }

/// <summary>A grain state that records the sequence number of the last batch applied to it (so a batch applies once).</summary>
public interface ISequenced
{
    long LastSeq { get; set; }
}

/// <summary>A grain state that also records the block of the last batch applied to it (for reads at a past block).</summary>
public interface IVersionedState : ISequenced
{
    /// <summary>Block of the last batch applied (0: never, or stored before it was recorded).</summary>
    ulong ChangedAt { get; set; }
}
