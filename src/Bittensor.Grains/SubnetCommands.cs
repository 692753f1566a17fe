using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>A concrete, already-validated change to a subnet, applied by <see cref="SubnetLedger.Apply"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.SubnetCommand")]
public abstract record SubnetCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.CreateSubnet")]
public sealed record CreateSubnet(
    [property: Id(0)] ushort Netuid, [property: Id(1)] string OwnerColdkey, [property: Id(2)] string OwnerHotkey,
    [property: Id(3)] ulong Block, [property: Id(4)] SubnetHyperparameters Hyper, [property: Id(5)] ulong Lock,
    [property: Id(6)] ulong Burn, [property: Id(7)] ulong LastEpochBlock) : SubnetCommand;

/// <summary>Registers a hotkey at <see cref="Uid"/> (append when Uid = n, else replace); the burn buys alpha that is destroyed.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.RegisterNeuron")]
public sealed record RegisterNeuron(
    [property: Id(0)] ushort Uid, [property: Id(1)] string Hotkey, [property: Id(2)] string Coldkey, [property: Id(3)] ulong Block,
    [property: Id(4)] ulong BurnPaid, [property: Id(5)] ulong AlphaBurned, [property: Id(6)] ulong NewBurn) : SubnetCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.StoreWeights")]
public sealed record StoreWeights([property: Id(0)] ushort Uid, [property: Id(1)] ImmutableArray<ushort> Columns, [property: Id(2)] ImmutableArray<ushort> Values, [property: Id(3)] ulong Block) : SubnetCommand;

/// <summary>Stake moved through the pool: a hotkey's alpha changes and the pool's reserves change the other way.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.MoveStake")]
public sealed record MoveStake([property: Id(0)] string Hotkey, [property: Id(1)] long Alpha, [property: Id(2)] long PoolTao, [property: Id(3)] long PoolAlpha) : SubnetCommand;

[GenerateSerializer, Immutable, Alias("Bittensor.Grains.ReplaceHyperparameters")]
public sealed record ReplaceHyperparameters([property: Id(0)] SubnetHyperparameters Hyper, [property: Id(1)] ulong? ResetLastEpochBlock) : SubnetCommand;

/// <summary>One block's emission for the subnet (spec §5–§7).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.StepBlock")]
public sealed record StepBlock : SubnetCommand
{
    [Id(0)] public ulong Block { get; init; }
    [Id(1)] public ulong TaoIntoPool { get; init; }
    [Id(2)] public ulong AlphaBoughtByProtocol { get; init; }
    [Id(3)] public ulong AlphaOut { get; init; }
    [Id(4)] public ulong OwnerCut { get; init; }
    [Id(5)] public ulong Server { get; init; }
    [Id(6)] public ulong Validator { get; init; }
    [Id(7)] public ulong Burn { get; init; }
    [Id(8)] public double MovingPrice { get; init; }
    [Id(9)] public ulong BlocksSinceLastStep { get; init; }
}

/// <summary>The epoch slot was consumed (<see cref="Ran"/>) or deferred to <see cref="PendingEpochAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.ScheduleEpoch")]
public sealed record ScheduleEpoch([property: Id(0)] ulong Block, [property: Id(1)] bool Ran, [property: Id(2)] ulong PendingEpochAt) : SubnetCommand;

/// <summary>An epoch's outputs and distribution.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.ApplyEpoch")]
public sealed record ApplyEpoch : SubnetCommand
{
    [Id(0)] public required ulong Block { get; init; }
    [Id(1)] public required ImmutableArray<ushort> StakeWeight { get; init; }
    [Id(2)] public required ImmutableArray<ushort> Consensus { get; init; }
    [Id(3)] public required ImmutableArray<ushort> Incentive { get; init; }
    [Id(4)] public required ImmutableArray<ushort> Dividends { get; init; }
    [Id(5)] public required ImmutableArray<ushort> ValidatorTrust { get; init; }
    [Id(6)] public required ImmutableArray<ulong> Emission { get; init; }
    [Id(7)] public required ImmutableArray<bool> Active { get; init; }
    [Id(8)] public required ImmutableArray<bool> ValidatorPermit { get; init; }
    [Id(9)] public required ImmutableArray<ImmutableArray<ushort>> BondColumns { get; init; }
    [Id(10)] public required ImmutableArray<ImmutableArray<ushort>> BondValues { get; init; }
    /// <summary>Alpha newly staked per hotkey (incentive, dividends, owner cut).</summary>
    [Id(11)] public required ImmutableDictionary<string, ulong> Staked { get; init; }
    [Id(12)] public required EpochSummary Summary { get; init; }
}
