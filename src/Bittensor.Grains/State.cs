using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>The chain grain's state: clock, supply, the subnet list, audit indexes and the write-ahead batch.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.ChainState")]
public sealed class ChainState
{
    [Id(0)] public bool Initialized { get; set; }
    [Id(1)] public ulong Block { get; set; }
    [Id(2)] public ulong TotalIssuance { get; set; }
    [Id(3)] public ulong GenesisReserve { get; set; }
    [Id(4)] public ulong Recycled { get; set; }
    [Id(5)] public List<ushort> Subnets { get; set; } = [];
    [Id(6)] public HashSet<string> Accounts { get; set; } = [];
    [Id(7)] public HashSet<string> Hotkeys { get; set; } = [];
    [Id(8)] public ulong LastLockCost { get; set; }
    [Id(9)] public ulong LastLockBlock { get; set; }
    [Id(10)] public long Seq { get; set; }
    [Id(11)] public Batch? Pending { get; set; }
}

/// <summary>One atomic unit of change: commands for several grains, journaled before they are applied.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.Batch")]
public sealed record Batch([property: Id(0)] long Seq, [property: Id(1)] ImmutableArray<GrainCommand> Commands);

/// <summary>A change addressed to one grain.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.GrainCommand")]
public abstract record GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.AccountCommand")]
public sealed record AccountCommand([property: Id(0)] string Address, [property: Id(1)] AccountChange Change) : GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.HotkeyCommand")]
public sealed record HotkeyCommand([property: Id(0)] string Address, [property: Id(1)] HotkeyChange Change) : GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.SubnetCommandFor")]
public sealed record SubnetCommandFor([property: Id(0)] ushort Netuid, [property: Id(1)] SubnetCommand Command) : GrainCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.EpochRecordCommand")]
public sealed record EpochRecordCommand([property: Id(0)] ushort Netuid, [property: Id(1)] EpochRecord Record, [property: Id(2)] ulong? Forget) : GrainCommand;

/// <summary>An account's state.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.AccountState")]
public sealed class AccountState
{
    [Id(0)] public ulong Balance { get; set; }
    [Id(1)] public ulong Nonce { get; set; }
    [Id(2)] public List<string> Hotkeys { get; set; } = [];
    [Id(3)] public long LastSeq { get; set; }
}

/// <summary>A hotkey's state.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.HotkeyState")]
public sealed class HotkeyState
{
    [Id(0)] public string? Owner { get; set; }
    [Id(1)] public Dictionary<ushort, ushort> Registrations { get; set; } = [];
    [Id(2)] public Dictionary<string, ulong> Stakes { get; set; } = []; // "netuid|coldkey" → alpha
    [Id(3)] public ushort Take { get; set; } = DefaultTake;
    [Id(4)] public Dictionary<ushort, AxonInfo> Axons { get; set; } = [];
    [Id(5)] public long LastSeq { get; set; }

    /// <summary>Default and maximum delegate take: 18% of 65535.</summary>
    public const ushort DefaultTake = 11_796;
}

/// <summary>A recorded epoch's state.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.EpochRecordState")]
public sealed class EpochRecordState
{
    [Id(0)] public EpochRecord? Record { get; set; }
}

/// <summary>One UID of a subnet.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.Neuron")]
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
}

/// <summary>A subnet's state (pool, pending emission, neurons, epoch clock).</summary>
[GenerateSerializer, Alias("Bittensor.Grains.SubnetState")]
public sealed class SubnetState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public ushort Netuid { get; set; }
    [Id(2)] public string OwnerColdkey { get; set; } = "";
    [Id(3)] public string OwnerHotkey { get; set; } = "";
    [Id(4)] public ulong RegisteredAt { get; set; }
    [Id(5)] public SubnetHyperparameters Hyper { get; set; } = new();
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
    [Id(21)] public ulong LastMechanismStepBlock { get; set; }
    [Id(22)] public List<Neuron> Neurons { get; set; } = [];
    [Id(23)] public Dictionary<string, ulong> HotkeyStake { get; set; } = [];
    [Id(24)] public List<EpochSummary> Epochs { get; set; } = [];
    [Id(25)] public long LastSeq { get; set; }
    [Id(26)] public ulong Lock { get; set; }
    [Id(27)] public ulong CurrentBlock { get; set; }

    public int UidOf(string hotkey) => Neurons.FindIndex(n => n.Hotkey == hotkey);

    public ulong StakeOfUid(int uid) => HotkeyStake.GetValueOrDefault(Neurons[uid].Hotkey);
}
