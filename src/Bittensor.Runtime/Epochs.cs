using System.Collections.Immutable;
using Bittensor.Consensus;

namespace Bittensor.Runtime;

/// <summary>What the chain fixes when an epoch starts at <see cref="Block"/>: its index, hyperparameters and emission.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.EpochStart")]
public sealed record EpochStart
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required ulong Index { get; init; }
    [Id(2)] public required ulong Block { get; init; }
    [Id(3)] public required SubnetHyperparameters Hyper { get; init; }
    /// <summary>Alpha the epoch distributes to miners and validators (pending server + validator emission).</summary>
    [Id(4)] public required ulong RaoEmission { get; init; }
    /// <summary>
    /// Per hotkey, the block of its earliest unexpired timelocked commit when the epoch starts (after the block's reveals),
    /// for the commit-reveal mask (spec yuma §3.5 step 5, CR-v4); null when there is none.
    /// </summary>
    [Id(5)] public ImmutableDictionary<string, ulong>? TimelockedCommitBlocks { get; init; }
    /// <summary>TAO staked on root per hotkey when the epoch starts (null: none, or tao_weight 0), see <see cref="RootNetwork.AttachAsync"/>.</summary>
    [Id(6)] public ImmutableDictionary<string, ulong>? RootStakes { get; init; }
    /// <summary>The tao_weight (parts of u64::MAX) the root stakes count with.</summary>
    [Id(7)] public ulong TaoWeight { get; init; }
}

/// <summary>
/// An epoch's inputs, typed (no JSON round trip): the roster's stake, weights and bonds in compressed-row form, taken
/// from the subnet at <see cref="AsOfSeq"/>, plus who each UID was then (so its emission goes to the right keys).
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.EpochRequest")]
public sealed record EpochRequest
{
    [Id(0)] public required EpochStart Start { get; init; }
    [Id(1)] public required long AsOfSeq { get; init; }
    [Id(2)] public required int? OwnerUid { get; init; }
    [Id(3)] public required ulong[] Stake { get; init; }
    [Id(4)] public required int[] WeightStarts { get; init; }
    [Id(5)] public required ushort[] WeightColumns { get; init; }
    [Id(6)] public required ushort[] WeightValues { get; init; }
    [Id(7)] public required int[] BondStarts { get; init; }
    [Id(8)] public required ushort[] BondColumns { get; init; }
    [Id(9)] public required ushort[] BondValues { get; init; }
    [Id(10)] public required bool[] ValidatorPermit { get; init; }
    [Id(11)] public required ulong[] LastUpdate { get; init; }
    [Id(12)] public required ulong[] BlockAtRegistration { get; init; }
    [Id(13)] public required ulong LastMechanismStepBlock { get; init; }
    [Id(14)] public required string[] Hotkeys { get; init; }
    [Id(15)] public required string[] Coldkeys { get; init; }
    /// <summary>On a commit-reveal subnet, per UID the block of its first unexpired commit (the engine's mask input); else null.</summary>
    [Id(16)] public ulong[]? CommitBlocks { get; init; }
    /// <summary>Per UID with parents, what its dividends' split with them needs (empty on a subnet without childkeys).</summary>
    [Id(17)] public ImmutableArray<ChildkeySplit> Childkeys { get; init; } = [];
    /// <summary>Each stake's fraction in 2⁻³² rao (tao_weight·root_tao is not whole), or null when there is no root stake.</summary>
    [Id(18)] public uint[]? StakeFraction { get; init; }
    /// <summary>Per UID the root TAO it counts (inherited through childkeys, <c>get_tao_inherited_for_hotkey_on_subnet</c>), or null when none.</summary>
    [Id(19)] public ulong[]? TaoStake { get; init; }

    public int N => Stake.Length;

    /// <summary>Weight and bond entries together (the size of the inputs).</summary>
    public long Entries => WeightColumns.LongLength + BondColumns.LongLength;

    /// <summary>
    /// The engine's view (spec §1): stake = alpha staked on each UID's hotkey plus tao_weight·root TAO, each after lending to
    /// children and inheriting from parents, with the fraction of the root part kept (I64F64 as subtensor).
    /// </summary>
    public (EpochParameters, EpochInput) ToEngine()
    {
        var h = Start.Hyper;
        var parameters = new EpochParameters
        {
            Tempo = h.Tempo, Kappa = h.Kappa, BondsMovingAverage = h.BondsMovingAverage, BondsPenalty = h.BondsPenalty,
            MaxAllowedValidators = h.MaxAllowedValidators, ActivityCutoffFactorMilli = h.ActivityCutoffFactorMilli,
            Yuma3 = h.Yuma3, LiquidAlpha = h.LiquidAlpha, AlphaLow = h.AlphaLow, AlphaHigh = h.AlphaHigh,
            AlphaSigmoidSteepness = h.AlphaSigmoidSteepness, StakeThreshold = h.StakeThreshold,
            OwnerUid = OwnerUid, CommitReveal = h.CommitRevealWeightsEnabled, RaoEmission = Start.RaoEmission,
        };
        var input = new EpochInput
        {
            N = N,
            Block = Start.Block,
            Stake = Stake,
            StakeFraction = StakeFraction,
            Weights = SparseMatrix.FromCsr(WeightStarts, WeightColumns, WeightValues),
            Bonds = SparseMatrix.FromCsr(BondStarts, BondColumns, BondValues),
            ValidatorPermit = ValidatorPermit,
            LastUpdate = LastUpdate,
            BlockAtRegistration = BlockAtRegistration,
            LastMechanismStepBlock = LastMechanismStepBlock,
            CommitBlocks = CommitBlocks,
        };
        return (parameters, input);
    }

    /// <summary>The inputs of the epoch <paramref name="start"/> from the subnet's roster as it is now.</summary>
    public static EpochRequest From(SubnetState s, EpochStart start)
    {
        int n = s.Neurons.Count;
        int owner = s.UidOf(s.OwnerHotkey);
        int weights = 0, bonds = 0;
        foreach (var neuron in s.Neurons)
        {
            weights += neuron.WeightColumns.Length;
            bonds += neuron.BondColumns.Length;
        }
        var wStarts = new int[n + 1];
        var wCols = new ushort[weights];
        var wVals = new ushort[weights];
        var bStarts = new int[n + 1];
        var bCols = new ushort[bonds];
        var bVals = new ushort[bonds];
        var stake = new ulong[n];
        var permit = new bool[n];
        var lastUpdate = new ulong[n];
        var registered = new ulong[n];
        var hotkeys = new string[n];
        var coldkeys = new string[n];
        int w = 0, b = 0;
        for (int i = 0; i < n; i++)
        {
            var neuron = s.Neurons[i];
            (stake[i], permit[i], lastUpdate[i], registered[i]) = (neuron.Stake, neuron.ValidatorPermit, neuron.LastUpdate, neuron.BlockAtRegistration);
            (hotkeys[i], coldkeys[i]) = (neuron.Hotkey, neuron.Coldkey);
            neuron.WeightColumns.CopyTo(wCols, w);
            neuron.WeightValues.CopyTo(wVals, w);
            w += neuron.WeightColumns.Length;
            wStarts[i + 1] = w;
            neuron.BondColumns.CopyTo(bCols, b);
            neuron.BondValues.CopyTo(bVals, b);
            b += neuron.BondColumns.Length;
            bStarts[i + 1] = b;
        }
        var relations = ChildKeys.Effective(s, start.Block == 0 ? 0 : start.Block - 1);
        var parents = ParentsByChild(relations);
        var childkeys = Inherit(s, start, relations, parents, hotkeys, stake);
        var (fraction, taoStake) = AddRoot(start, relations, parents, hotkeys, stake);
        return new EpochRequest
        {
            Start = start,
            Childkeys = childkeys,
            StakeFraction = fraction,
            TaoStake = taoStake,
            AsOfSeq = s.LastSeq,
            OwnerUid = owner >= 0 ? owner : null,
            Stake = stake,
            WeightStarts = wStarts, WeightColumns = wCols, WeightValues = wVals,
            BondStarts = bStarts, BondColumns = bCols, BondValues = bVals,
            ValidatorPermit = permit,
            LastUpdate = lastUpdate,
            BlockAtRegistration = registered,
            LastMechanismStepBlock = s.LastMechanismStepBlock,
            Hotkeys = hotkeys,
            Coldkeys = coldkeys,
            // The epoch index has advanced when the epoch runs (drain_pending before the epoch): it is Index + 1.
            CommitBlocks = start.Hyper.CommitRevealWeightsEnabled ? CommitReveal.CommitBlocks(s, start.Index + 1, start.Hyper.CommitRevealPeriod, start.TimelockedCommitBlocks) : null,
        };
    }

    /// <summary>Each child's parents (proportion, parent) in parent order.</summary>
    private static Dictionary<string, List<ChildLink>> ParentsByChild(ImmutableDictionary<string, ImmutableArray<ChildLink>> relations)
    {
        var parents = new Dictionary<string, List<ChildLink>>(StringComparer.Ordinal);
        foreach (var (parent, children) in relations.OrderBy(r => r.Key, StringComparer.Ordinal))
            foreach (var child in children)
            {
                if (!parents.TryGetValue(child.Hotkey, out var list)) parents[child.Hotkey] = list = [];
                list.Add(new ChildLink(child.Proportion, parent));
            }
        return parents;
    }

    /// <summary>
    /// Replaces each UID's alpha by its inherited stake weight under the childkeys in force when the epoch's block began
    /// (subtensor applies pending children after the block's epochs), and returns the dividend splits of the UIDs with parents.
    /// </summary>
    private static ImmutableArray<ChildkeySplit> Inherit(SubnetState s, EpochStart start, ImmutableDictionary<string, ImmutableArray<ChildLink>> relations,
        Dictionary<string, List<ChildLink>> parents, string[] hotkeys, ulong[] stake)
    {
        if (relations.IsEmpty) return [];
        var splits = ImmutableArray.CreateBuilder<ChildkeySplit>();
        for (int i = 0; i < hotkeys.Length; i++)
        {
            string hotkey = hotkeys[i];
            ulong alpha = stake[i];
            ImmutableArray<ulong> lent = relations.TryGetValue(hotkey, out var children) ? [.. children.Select(c => c.Proportion)] : [];
            ImmutableArray<ParentStake> from = parents.TryGetValue(hotkey, out var list)
                ? [.. list.Select(p => new ParentStake(p.Hotkey, p.Proportion, s.StakedHotkeys.GetValueOrDefault(p.Hotkey)) { Root = RootNetwork.Of(start.RootStakes, p.Hotkey) })]
                : [];
            if (lent.IsEmpty && from.IsEmpty) continue;
            stake[i] = ChildKeys.Inherited(alpha, lent, from.Select(p => (p.Proportion, p.Alpha)));
            if (!from.IsEmpty)
                splits.Add(new ChildkeySplit
                {
                    Hotkey = hotkey, Alpha = alpha, ChildProportions = lent, Take = s.ChildkeyTakes.GetValueOrDefault(hotkey), Parents = from,
                    Root = RootNetwork.Of(start.RootStakes, hotkey), TaoWeight = start.RootStakes is null ? 0 : start.TaoWeight,
                });
        }
        return splits.ToImmutable();
    }

    /// <summary>
    /// Adds tao_weight·root TAO to each UID's (inherited) alpha (<c>get_stake_weights_for_network</c>), the root TAO inherited
    /// through the same childkeys (<c>get_tao_inherited_for_hotkey_on_subnet</c>). Returns the stakes' fractions and the
    /// root TAO per UID, or nulls when the epoch counts no root stake.
    /// </summary>
    private static (uint[]? Fraction, ulong[]? TaoStake) AddRoot(EpochStart start, ImmutableDictionary<string, ImmutableArray<ChildLink>> relations,
        Dictionary<string, List<ChildLink>> parents, string[] hotkeys, ulong[] stake)
    {
        if (start.RootStakes is not { IsEmpty: false } root || start.TaoWeight == 0) return (null, null);
        var fraction = new uint[hotkeys.Length];
        var taoStake = new ulong[hotkeys.Length];
        for (int i = 0; i < hotkeys.Length; i++)
        {
            string hotkey = hotkeys[i];
            ulong tao = root.GetValueOrDefault(hotkey);
            bool lends = relations.TryGetValue(hotkey, out var children);
            if (lends || parents.ContainsKey(hotkey))
                tao = ChildKeys.Inherited(tao, lends ? children.Select(c => c.Proportion) : [],
                    parents.TryGetValue(hotkey, out var list) ? list.Select(p => (p.Proportion, root.GetValueOrDefault(p.Hotkey))) : []);
            taoStake[i] = tao;
            (stake[i], fraction[i]) = RootNetwork.StakeWeight(stake[i], tao, start.TaoWeight);
        }
        return (fraction, taoStake);
    }
}

/// <summary>An epoch's outputs (Exact arithmetic) with the keys each UID had when its inputs were taken.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.EpochOutcome")]
public sealed record EpochOutcome
{
    [Id(0)] public required EpochStart Start { get; init; }
    [Id(1)] public required long AsOfSeq { get; init; }
    [Id(2)] public required ImmutableArray<string> Hotkeys { get; init; }
    [Id(3)] public required ImmutableArray<string> Coldkeys { get; init; }
    [Id(4)] public required ImmutableArray<ushort> StakeWeight { get; init; }
    [Id(5)] public required ImmutableArray<ushort> Consensus { get; init; }
    [Id(6)] public required ImmutableArray<ushort> Incentive { get; init; }
    [Id(7)] public required ImmutableArray<ushort> Dividends { get; init; }
    [Id(8)] public required ImmutableArray<ushort> ValidatorTrust { get; init; }
    [Id(9)] public required ImmutableArray<bool> Active { get; init; }
    [Id(10)] public required ImmutableArray<bool> ValidatorPermit { get; init; }
    [Id(11)] public required ImmutableArray<ulong> ServerEmission { get; init; }
    [Id(12)] public required ImmutableArray<ulong> ValidatorEmission { get; init; }
    [Id(13)] public required ImmutableArray<ulong> Emission { get; init; }
    /// <summary>The dividend splits of UIDs with parents, as the epoch's inputs took them.</summary>
    [Id(14)] public ImmutableArray<ChildkeySplit> Childkeys { get; init; } = [];
    /// <summary>Per UID the root TAO counted (inherited) and its tao_weight part in whole rao; empty without root stake.</summary>
    [Id(15)] public ImmutableArray<(ulong Tao, ulong Weighted)> RootStake { get; init; } = [];

    public static EpochOutcome From(EpochRequest request, EpochResult r) => new()
    {
        Start = request.Start,
        AsOfSeq = request.AsOfSeq,
        Hotkeys = [.. request.Hotkeys],
        Coldkeys = [.. request.Coldkeys],
        StakeWeight = [.. r.StakeWeight],
        Consensus = [.. r.Consensus],
        Incentive = [.. r.Incentive],
        Dividends = [.. r.Dividends],
        ValidatorTrust = [.. r.ValidatorTrust],
        Active = [.. r.Active],
        ValidatorPermit = [.. r.ValidatorPermit],
        ServerEmission = [.. r.ServerEmission],
        ValidatorEmission = [.. r.ValidatorEmission],
        Emission = [.. r.Emission],
        Childkeys = request.Childkeys.IsDefault ? [] : request.Childkeys,
        RootStake = request.TaoStake is { } tao
            ? [.. tao.Select(t => (t, RootNetwork.StakeWeight(0, t, request.Start.TaoWeight).Whole))]
            : [],
    };
}
