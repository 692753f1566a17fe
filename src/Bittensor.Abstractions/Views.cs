using System.Collections.Immutable;

namespace Bittensor;

/// <summary>The chain clock and supply.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.ChainInfo")]
public sealed record ChainInfo
{
    [Id(0)] public required string ChainId { get; init; }
    [Id(1)] public required ulong Block { get; init; }
    [Id(2)] public required ulong TotalIssuance { get; init; }
    [Id(3)] public required ulong BlockEmission { get; init; }
    [Id(4)] public required ulong NextHalvingIssuance { get; init; }
    [Id(5)] public required int Halvings { get; init; }
    [Id(6)] public required int Subnets { get; init; }
    [Id(7)] public required ulong NetworkLockCost { get; init; }
    [Id(8)] public required TimeSpan BlockTime { get; init; }
    [Id(9)] public required bool Faucet { get; init; }
    [Id(10)] public required ulong GenesisReserve { get; init; }
    /// <summary>BLAKE2b-256 of the genesis (<c>0x</c> + 64 hex digits); signed payloads name it beside the chain id.</summary>
    [Id(11)] public required string GenesisHash { get; init; }
    /// <summary>
    /// Blocks of history kept for reads at a past block (<c>?block=N</c> on metagraphs, weights, bonds, accounts, hotkeys):
    /// any block in <c>[Block − HistoryBlocks, Block]</c> (<c>Chain:HistoryBlocks</c>).
    /// </summary>
    [Id(12)] public ulong HistoryBlocks { get; init; }
    /// <summary>Transaction fee in rao per 10⁹ units of call weight (0: no fees); a call's fee is <c>Fees.Of</c>.</summary>
    [Id(13)] public ulong WeightFee { get; init; }
    /// <summary>Σ transaction fees burned so far, rao.</summary>
    [Id(14)] public ulong FeesBurned { get; init; }
    /// <summary>The sudo key (<c>Chain:Sudo</c>), public as on subtensor; null: none.</summary>
    [Id(15)] public string? Sudo { get; init; }
}

/// <summary>Block production figures since the chain grain activated.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.ChainStats")]
public sealed record ChainStats
{
    [Id(0)] public required ulong Block { get; init; }
    /// <summary>Blocks produced by this activation.</summary>
    [Id(1)] public required ulong BlocksProduced { get; init; }
    /// <summary>Epochs landed since genesis.</summary>
    [Id(2)] public required ulong Epochs { get; init; }
    /// <summary>Median and 99th percentile of the time to produce and store a block, over the last 4096 blocks, ms.</summary>
    [Id(3)] public required double BlockStepMsP50 { get; init; }
    [Id(4)] public required double BlockStepMsP99 { get; init; }
    /// <summary>Share of clock-driven blocks produced less than one block time after they were due.</summary>
    [Id(5)] public required double OnTimeRatio { get; init; }
    /// <summary>Whether production is paused because storage (or a grain) cannot be written; it resumes by itself.</summary>
    [Id(6)] public required bool Paused { get; init; }
    [Id(7)] public string? PauseReason { get; init; }
    /// <summary>Epochs computing off the block path now.</summary>
    [Id(8)] public required int EpochsInFlight { get; init; }
    /// <summary>Clock-driven blocks that were due, and those produced on time, since the chain grain activated (for rates over a window).</summary>
    [Id(9)] public required ulong BlocksDue { get; init; }
    [Id(10)] public required ulong BlocksOnTime { get; init; }
    /// <summary>Times a due block was held back because production was paused (the clock retries at every tick), since the chain grain activated.</summary>
    [Id(11)] public ulong BlocksHeld { get; init; }
}

/// <summary>A subnet: owner, hyperparameters, pool and price, pending emission, epoch clock.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.SubnetInfo")]
public sealed record SubnetInfo
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required string OwnerColdkey { get; init; }
    [Id(2)] public required string OwnerHotkey { get; init; }
    [Id(3)] public required ulong RegisteredAt { get; init; }
    [Id(4)] public required int N { get; init; }
    [Id(5)] public required SubnetHyperparameters Hyperparameters { get; init; }
    [Id(6)] public required ulong PoolTao { get; init; }
    [Id(7)] public required ulong PoolAlpha { get; init; }
    [Id(8)] public required double Price { get; init; }
    [Id(9)] public required double MovingPrice { get; init; }
    [Id(10)] public required ulong PendingServer { get; init; }
    [Id(11)] public required ulong PendingValidator { get; init; }
    [Id(12)] public required ulong PendingOwnerCut { get; init; }
    [Id(13)] public required ulong AlphaIssued { get; init; }
    [Id(14)] public required ulong AlphaStaked { get; init; }
    [Id(15)] public required ulong ProtocolAlpha { get; init; }
    [Id(16)] public required ulong AlphaBurned { get; init; }
    [Id(17)] public required ulong Burn { get; init; }
    [Id(18)] public required ulong LastEpochBlock { get; init; }
    [Id(19)] public required ulong EpochIndex { get; init; }
    [Id(20)] public required ulong NextEpochBlock { get; init; }
    [Id(21)] public required ulong Lock { get; init; }
    /// <summary>Whether the subnet takes part in emission (its owner called <c>start_call</c>, or it was started at creation).</summary>
    [Id(22)] public bool Started { get; init; } = true;
    /// <summary>The block of the owner's <c>start_call</c>; null before it, or when the subnet was started at creation.</summary>
    [Id(23)] public ulong? StartCallBlock { get; init; }
    /// <summary>The owner's identity for the subnet; null when none was set.</summary>
    [Id(24)] public SubnetIdentity? Identity { get; init; }
    /// <summary>The pool's TAO weight w2 in parts of 10¹⁸ (½ = 500 000 000 000 000 000: constant product); see spec §5a.</summary>
    [Id(25)] public ulong QuoteWeight { get; init; } = 500_000_000_000_000_000;
    /// <summary>Root alpha dividends accrued since the last epoch (<c>PendingRootAlphaDivs</c>), alpha rao.</summary>
    [Id(26)] public ulong PendingRootAlpha { get; init; }
    /// <summary>Root dividends paid in this subnet's alpha and not yet claimed by root stakers, alpha rao.</summary>
    [Id(27)] public ulong RootClaimableAlpha { get; init; }
}

/// <summary>
/// A hotkey's childkeys on a subnet at <see cref="Block"/>: its children and parents in force (proportions in parts of
/// u64::MAX), the children it scheduled that wait for their cooldown, and its childkey take (parts of 65 535).
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.ChildkeysView")]
public sealed record ChildkeysView
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required string Hotkey { get; init; }
    [Id(2)] public required ulong Block { get; init; }
    [Id(3)] public required ImmutableArray<Runtime.ChildLink> Children { get; init; }
    [Id(4)] public required ImmutableArray<Runtime.ChildLink> Parents { get; init; }
    [Id(5)] public Runtime.PendingChildren? Pending { get; init; }
    [Id(6)] public required ushort ChildkeyTake { get; init; }
}

/// <summary>One UID of a subnet's metagraph (u16 fields as u16, amounts in rao).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.NeuronView")]
public sealed record NeuronView
{
    [Id(0)] public required ushort Uid { get; init; }
    [Id(1)] public required string Hotkey { get; init; }
    [Id(2)] public required string Coldkey { get; init; }
    [Id(3)] public required ulong Stake { get; init; }
    [Id(4)] public required ushort StakeWeight { get; init; }
    [Id(5)] public required ushort Consensus { get; init; }
    [Id(6)] public required ushort Incentive { get; init; }
    [Id(7)] public required ushort Dividends { get; init; }
    [Id(8)] public required ulong Emission { get; init; }
    [Id(9)] public required ushort ValidatorTrust { get; init; }
    [Id(10)] public required bool ValidatorPermit { get; init; }
    [Id(11)] public required bool Active { get; init; }
    [Id(12)] public required ulong LastUpdate { get; init; }
    [Id(13)] public required ulong BlockAtRegistration { get; init; }
    [Id(14)] public AxonInfo? Axon { get; init; }
    /// <summary>Alpha staked on the hotkey in this subnet, rao (the same as <see cref="Stake"/>).</summary>
    [Id(15)] public ulong AlphaStake { get; init; }
    /// <summary>TAO staked on the hotkey on the root network, rao, inherited through childkeys, as the last epoch took it.</summary>
    [Id(16)] public ulong TaoStake { get; init; }
    /// <summary>The stake weight in rao: alpha + tao_weight × TAO (<c>get_stake_weights_for_network</c>).</summary>
    [Id(17)] public ulong TotalStake { get; init; }
    /// <summary>Rank, trust and pruning score: no longer computed on chain (spec: always 0; <c>rpc_info/neuron_info.rs</c>).</summary>
    [Id(18)] public ushort Rank { get; init; }
    [Id(19)] public ushort Trust { get; init; }
    [Id(20)] public ushort PruningScore { get; init; }
}

/// <summary>A subnet's neurons at a block.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.MetagraphView")]
public sealed record MetagraphView([property: Id(0)] ushort Netuid, [property: Id(1)] ulong Block, [property: Id(2)] ImmutableArray<NeuronView> Neurons);

/// <summary>
/// The sparse weight or bond rows of a subnet at <see cref="Block"/>: one page of UIDs (<see cref="Offset"/> and up, at most
/// the page's limit), each non-empty row with its columns and u16 values; <see cref="N"/> is the subnet's size.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.MatrixView")]
public sealed record MatrixView(
    [property: Id(0)] ushort Netuid, [property: Id(1)] ulong Block, [property: Id(2)] int N, [property: Id(3)] int Offset,
    [property: Id(4)] ImmutableArray<WeightRow> Rows);

/// <summary>Which matrix of a subnet to read.</summary>
[GenerateSerializer]
public enum MatrixKind : byte { Weights = 0, Bonds = 1 }

/// <summary>
/// A read at a past block: the value as it was then, or null when that block is older than what the grain retains;
/// <see cref="From"/> is the oldest block it can answer (<see cref="ulong.MaxValue"/>: none).
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Retained`1")]
public sealed record Retained<T>([property: Id(0)] T? Value, [property: Id(1)] ulong From) where T : class;

/// <summary>
/// A recorded epoch: its inputs as one case of <c>yuma-epoch-cases/1</c> (one step) and its outputs as one step of
/// <c>yuma-epoch-results/1</c>, as JSON text, so anyone can re-run and check it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.EpochRecord")]
public sealed record EpochRecord([property: Id(0)] ulong Index, [property: Id(1)] ulong Block, [property: Id(2)] string InputsJson, [property: Id(3)] string OutputsJson);

/// <summary>Conservation check: nothing created or destroyed, to the rao.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.AuditReport")]
public sealed record AuditReport([property: Id(0)] bool Ok, [property: Id(1)] TaoAudit Tao, [property: Id(2)] ImmutableArray<SubnetAudit> Subnets, [property: Id(3)] ulong Block);

/// <summary>total issuance = Σ free balances + Σ pool TAO + root stake + genesis reserve + recycled.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.TaoAudit")]
public sealed record TaoAudit
{
    [Id(0)] public required ulong Issuance { get; init; }
    [Id(1)] public required ulong Free { get; init; }
    [Id(2)] public required ulong Pools { get; init; }
    [Id(3)] public required ulong Reserve { get; init; }
    [Id(4)] public required ulong Recycled { get; init; }
    [Id(5)] public required ulong Accounted { get; init; }
    [Id(6)] public required bool Ok { get; init; }
    /// <summary>Σ transaction fees burned (already taken out of <see cref="Issuance"/> and of the free balances), rao.</summary>
    [Id(7)] public ulong FeesBurned { get; init; }
    /// <summary>Σ TAO staked on the root network as the chain counts it (part of <see cref="Accounted"/>), rao.</summary>
    [Id(8)] public ulong Root { get; init; }
    /// <summary>Σ root stake re-counted on every hotkey (must equal <see cref="Root"/>), rao.</summary>
    [Id(9)] public ulong RootOnHotkeys { get; init; }
}

/// <summary>alpha issued − burned = pool alpha + Σ staked + pending + protocol-owned; staking mirrors agree with hotkeys.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.SubnetAudit")]
public sealed record SubnetAudit
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required ulong Issued { get; init; }
    [Id(2)] public required ulong Burned { get; init; }
    [Id(3)] public required ulong Pool { get; init; }
    [Id(4)] public required ulong Staked { get; init; }
    [Id(5)] public required ulong Pending { get; init; }
    [Id(6)] public required ulong Protocol { get; init; }
    [Id(7)] public required ulong StakedOnHotkeys { get; init; }
    [Id(8)] public required bool Ok { get; init; }
    /// <summary>Root dividends paid in this subnet's alpha and not yet claimed (part of the balance), alpha rao.</summary>
    [Id(9)] public ulong RootClaimable { get; init; }
}
