using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>A concrete, already-validated change to a subnet's roster, applied by <see cref="SubnetLedger.Apply"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.SubnetCommand")]
public abstract record SubnetCommand;

/// <summary>The subnet exists; the owner hotkey is its first neuron (uid 0).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.CreateSubnet")]
public sealed record CreateSubnet(
    [property: Id(0)] ushort Netuid, [property: Id(1)] string OwnerColdkey, [property: Id(2)] string OwnerHotkey,
    [property: Id(3)] ulong Block, [property: Id(4)] SubnetHyperparameters Hyper, [property: Id(5)] long Seq,
    [property: Id(6)] ulong OwnerStake) : SubnetCommand;

/// <summary>Registers a hotkey at <see cref="Uid"/> (append when Uid = n, else replace), with the stake it already has.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.RegisterNeuron")]
public sealed record RegisterNeuron(
    [property: Id(0)] ushort Uid, [property: Id(1)] string Hotkey, [property: Id(2)] string Coldkey, [property: Id(3)] ulong Block,
    [property: Id(4)] long Seq, [property: Id(5)] ulong Stake) : SubnetCommand;

/// <summary>Stores a weight row; its LastUpdate becomes <see cref="Block"/> unless <see cref="KeepLastUpdate"/> (a reveal: the commit set it).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.StoreWeights")]
public sealed record StoreWeights([property: Id(0)] ushort Uid, [property: Id(1)] ImmutableArray<ushort> Columns, [property: Id(2)] ImmutableArray<ushort> Values, [property: Id(3)] ulong Block) : SubnetCommand
{
    [Id(4)] public bool KeepLastUpdate { get; init; }
}

/// <summary>Replaces a neuron's queue of weight commits; a new commit also sets its LastUpdate to <see cref="Block"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.StoreCommits")]
public sealed record StoreCommits([property: Id(0)] ushort Uid, [property: Id(1)] ImmutableArray<WeightCommit> Commits, [property: Id(2)] ulong Block,
    [property: Id(3)] bool SetsLastUpdate) : SubnetCommand;

/// <summary>Alpha staked on <see cref="Hotkey"/> changed; mirrored on its neuron when it is registered here.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.NeuronStake")]
public sealed record NeuronStake([property: Id(0)] string Hotkey, [property: Id(1)] long Alpha) : SubnetCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ReplaceHyperparameters")]
public sealed record ReplaceHyperparameters([property: Id(0)] SubnetHyperparameters Hyper) : SubnetCommand;

/// <summary>The subnet is dissolved (at the subnet cap, for a new one): its roster, rows, commits and history go.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.DissolveSubnet")]
public sealed record DissolveSubnet : SubnetCommand;

/// <summary>The subnet's owner hotkey changes (the owner UID of its epochs follows it).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.SetOwnerHotkey")]
public sealed record SetOwnerHotkey([property: Id(0)] string Hotkey) : SubnetCommand;

/// <summary>
/// <c>set_children</c>: the parent's new children, applied after <paramref name="CooldownBlock"/> (null: at once, on a
/// subnet not started yet); pending sets due at <paramref name="Block"/> are applied first.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ScheduleChildren")]
public sealed record ScheduleChildren([property: Id(0)] string Hotkey, [property: Id(1)] ImmutableArray<ChildLink> Children,
    [property: Id(2)] ulong Block, [property: Id(3)] ulong? CooldownBlock) : SubnetCommand;

/// <summary><c>set_childkey_take</c>: the hotkey's childkey take in this subnet, set at <paramref name="Block"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.SetChildkeyTake")]
public sealed record SetChildkeyTake([property: Id(0)] string Hotkey, [property: Id(1)] ushort Take, [property: Id(2)] ulong Block) : SubnetCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.SetAxon")]
public sealed record SetAxon([property: Id(0)] string Hotkey, [property: Id(1)] AxonInfo Axon) : SubnetCommand;

/// <summary>
/// An epoch's outcome lands: per-UID outputs for the neurons that were registered when its inputs were taken
/// (<see cref="AsOfSeq"/>), stake credited per hotkey, the summary. The new bonds are not carried here: the subnet
/// grain computed them and applies them itself (they can be megabytes; the journal stays small).
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.CommitEpoch")]
public sealed record CommitEpoch : SubnetCommand
{
    [Id(0)] public required ulong Index { get; init; }
    [Id(1)] public required ulong Block { get; init; }
    [Id(2)] public required long AsOfSeq { get; init; }
    [Id(3)] public required ImmutableArray<ushort> StakeWeight { get; init; }
    [Id(4)] public required ImmutableArray<ushort> Consensus { get; init; }
    [Id(5)] public required ImmutableArray<ushort> Incentive { get; init; }
    [Id(6)] public required ImmutableArray<ushort> Dividends { get; init; }
    [Id(7)] public required ImmutableArray<ushort> ValidatorTrust { get; init; }
    [Id(8)] public required ImmutableArray<ulong> Emission { get; init; }
    [Id(9)] public required ImmutableArray<bool> Active { get; init; }
    [Id(10)] public required ImmutableArray<bool> ValidatorPermit { get; init; }
    /// <summary>
    /// Alpha newly staked per hotkey (incentive, dividends, owner cut). Built from <see cref="StakedInOrder"/> when first
    /// read (when the command is stored or sent): the ledger reads the list, and an in-memory chain never needs the map.
    /// </summary>
    [Id(11)]
    public ImmutableDictionary<string, ulong> Staked
    {
        get => _staked ??= ImmutableDictionary.CreateRange(StringComparer.Ordinal, _stakedInOrder.IsDefault ? [] : _stakedInOrder);
        internal set => _staked = value; // for the serializer (a command is never changed once made)
    }

    /// <summary>The same credits as a list in ordinal order of hotkey, as an epoch landing gives them (not stored: <see cref="Staked"/> is).</summary>
    internal ImmutableArray<KeyValuePair<string, ulong>> StakedInOrder
    {
        get => _stakedInOrder;
        init => _stakedInOrder = value;
    }

    [NonSerialized] private ImmutableDictionary<string, ulong>? _staked;
    [NonSerialized] private ImmutableArray<KeyValuePair<string, ulong>> _stakedInOrder;
    [Id(12)] public required EpochSummary Summary { get; init; }
    /// <summary>Per UID the root TAO the epoch counted (inherited) and its tao_weight part in whole rao; empty without root stake.</summary>
    [Id(13)] public ImmutableArray<(ulong Tao, ulong Weighted)> RootStake { get; init; } = [];
}
