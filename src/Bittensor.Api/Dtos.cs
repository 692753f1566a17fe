using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bittensor.Api;

/// <summary>GET /api/chain: <c>weightFee</c> is the fee rate (rao per 10⁹ units of call weight, 0: no fees), <c>feesBurned</c> Σ fees burned.</summary>
public sealed record ChainDto(string ChainId, ulong Block, ulong TotalIssuance, ulong BlockEmission, ulong NextHalvingIssuance,
    int Halvings, int Subnets, ulong NetworkLockCost, double BlockTimeSeconds, bool Faucet, ulong GenesisReserve,
    string GenesisHash, ulong HistoryBlocks, ulong WeightFee, ulong FeesBurned);

/// <summary>A subnet's pool: TAO and alpha reserves (rao), price and moving price (TAO per alpha), and the TAO weight w2 in
/// parts of 10¹⁸ (½ = constant product; protocol liquidity moves it, spec §5a).</summary>
public sealed record PoolDto(ulong Tao, ulong Alpha, double Price, double MovingPrice, ulong QuoteWeight);

/// <summary>GET /api/subnets/{netuid} (and the items of GET /api/subnets).</summary>
public sealed record SubnetDto(ushort Netuid, string OwnerColdkey, string OwnerHotkey, ulong RegisteredAt, int N, PoolDto Pool,
    ulong PendingServer, ulong PendingValidator, ulong PendingOwnerCut, ulong AlphaIssued, ulong AlphaStaked, ulong ProtocolAlpha,
    ulong AlphaBurned, ulong Burn, ulong Lock, ulong LastEpochBlock, ulong EpochIndex, ulong NextEpochBlock, SubnetHyperparameters Hyperparameters,
    bool Started, ulong? StartCallBlock, SubnetIdentity? Identity, ulong PendingRootAlpha, ulong RootClaimableAlpha)
{
    public static SubnetDto From(SubnetInfo s) => new(s.Netuid, s.OwnerColdkey, s.OwnerHotkey, s.RegisteredAt, s.N,
        new PoolDto(s.PoolTao, s.PoolAlpha, s.Price, s.MovingPrice, s.QuoteWeight), s.PendingServer, s.PendingValidator, s.PendingOwnerCut,
        s.AlphaIssued, s.AlphaStaked, s.ProtocolAlpha, s.AlphaBurned, s.Burn, s.Lock, s.LastEpochBlock, s.EpochIndex, s.NextEpochBlock,
        s.Hyperparameters, s.Started, s.StartCallBlock, s.Identity, s.PendingRootAlpha, s.RootClaimableAlpha);
}

/// <summary>GET /api/subnets/{netuid}/metagraph (field names as Bittensor's metagraph).</summary>
public sealed record MetagraphDto(
    [property: JsonPropertyName("netuid")] ushort Netuid,
    [property: JsonPropertyName("block")] ulong Block,
    [property: JsonPropertyName("neurons")] IReadOnlyList<NeuronDto> Neurons)
{
    public static MetagraphDto From(MetagraphView m) => new(m.Netuid, m.Block, m.Neurons.Select(n => new NeuronDto(n.Uid, n.Hotkey, n.Coldkey, n.Stake,
        n.StakeWeight, n.Consensus, n.Incentive, n.Dividends, n.Emission, n.ValidatorTrust, n.ValidatorPermit, n.Active, n.LastUpdate,
        n.BlockAtRegistration, AxonDto.From(n.Axon), n.AlphaStake, n.TaoStake, n.TotalStake, n.Rank, n.Trust, n.PruningScore)).ToList());
}

public sealed record NeuronDto(
    [property: JsonPropertyName("uid")] ushort Uid,
    [property: JsonPropertyName("hotkey")] string Hotkey,
    [property: JsonPropertyName("coldkey")] string Coldkey,
    [property: JsonPropertyName("stake")] ulong Stake,
    [property: JsonPropertyName("stake_weight")] ushort StakeWeight,
    [property: JsonPropertyName("consensus")] ushort Consensus,
    [property: JsonPropertyName("incentive")] ushort Incentive,
    [property: JsonPropertyName("dividends")] ushort Dividends,
    [property: JsonPropertyName("emission")] ulong Emission,
    [property: JsonPropertyName("validator_trust")] ushort ValidatorTrust,
    [property: JsonPropertyName("validator_permit")] bool ValidatorPermit,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("last_update")] ulong LastUpdate,
    [property: JsonPropertyName("block_at_registration")] ulong BlockAtRegistration,
    [property: JsonPropertyName("axon")] AxonDto? Axon,
    [property: JsonPropertyName("alpha_stake")] ulong AlphaStake,
    [property: JsonPropertyName("tao_stake")] ulong TaoStake,
    [property: JsonPropertyName("total_stake")] ulong TotalStake,
    [property: JsonPropertyName("rank")] ushort Rank,
    [property: JsonPropertyName("trust")] ushort Trust,
    [property: JsonPropertyName("pruning_score")] ushort PruningScore)
{
    /// <summary>The JSON names of a neuron's fields, for <c>?fields=</c>.</summary>
    public static readonly IReadOnlySet<string> FieldNames = typeof(NeuronDto).GetProperties()
        .Select(p => ((JsonPropertyNameAttribute)Attribute.GetCustomAttribute(p, typeof(JsonPropertyNameAttribute))!).Name)
        .ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// GET /api/subnets/{netuid}/metagraph with <c>?block=</c>, <c>?fields=</c>, <c>?offset=</c> or <c>?limit=</c>: one page of
/// neurons (UIDs <see cref="Offset"/> and up), each with the requested fields only; <see cref="N"/> is the subnet's size.
/// </summary>
public sealed record MetagraphPageDto(
    [property: JsonPropertyName("netuid")] ushort Netuid,
    [property: JsonPropertyName("block")] ulong Block,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("neurons")] IReadOnlyList<System.Text.Json.Nodes.JsonObject> Neurons);

/// <summary>GET /api/subnets/{netuid}/weights and /bonds: sparse rows of one page of UIDs.</summary>
public sealed record MatrixDto(
    [property: JsonPropertyName("netuid")] ushort Netuid,
    [property: JsonPropertyName("block")] ulong Block,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("rows")] IReadOnlyList<MatrixRowDto> Rows);

/// <summary>One non-empty row: the UID, its hotkey, the columns and their u16 values (weights: max-upscaled as stored).</summary>
public sealed record MatrixRowDto(
    [property: JsonPropertyName("uid")] ushort Uid,
    [property: JsonPropertyName("hotkey")] string Hotkey,
    [property: JsonPropertyName("uids")] IReadOnlyList<ushort> Uids,
    [property: JsonPropertyName("values")] IReadOnlyList<ushort> Values);

public sealed record AxonDto(
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("port")] ushort Port,
    [property: JsonPropertyName("protocol")] byte Protocol,
    [property: JsonPropertyName("version")] uint Version,
    [property: JsonPropertyName("block")] ulong Block,
    [property: JsonPropertyName("name")] string? Name)
{
    public static AxonDto? From(AxonInfo? a) => a is null ? null : new(a.Ip, a.Port, a.Protocol, a.Version, a.Block, a.Name);
}

/// <summary>GET /api/subnets/{netuid}/epochs/{index}: the inputs (one yuma-epoch-cases/1 case) and outputs (one yuma-epoch-results/1 step).</summary>
public sealed record EpochDto(
    [property: JsonPropertyName("index")] ulong Index,
    [property: JsonPropertyName("block")] ulong Block,
    [property: JsonPropertyName("inputs")] JsonElement Inputs,
    [property: JsonPropertyName("outputs")] JsonElement Outputs);

/// <summary>
/// GET /api/subnets/{netuid}/quote: a buy puts <see cref="AmountIn"/> rao of TAO in and gets <see cref="AmountOut"/> rao of
/// alpha; a sell the reverse. <see cref="Fee"/> is in the input token and stays in the pool. Prices are rao of TAO per
/// 1 alpha; <see cref="PriceImpact"/> is the share of the fee-free output lost to the price moving (0.01 = 1%).
/// </summary>
public sealed record QuoteDto(ushort Netuid, string Side, ulong AmountIn, ulong Fee, ulong AmountOut, ulong PriceBefore, ulong PriceAfter, double PriceImpact);

/// <summary>GET /api/delegates: one page of delegates, by total stake, largest first.</summary>
public sealed record DelegatesDto(int Total, int Offset, int Limit, IReadOnlyList<DelegateDto> Delegates);

/// <summary>A delegate (a hotkey registered on some subnet): its owner, take (u16 proportion of 65535) and stake per subnet.</summary>
public sealed record DelegateDto(string Hotkey, string? Owner, ushort Take, ulong TotalStake, IReadOnlyList<DelegateStakeDto> Subnets);

/// <summary>Alpha staked on a delegate in one subnet, all nominators together, and how many coldkeys nominate it there.</summary>
public sealed record DelegateStakeDto(ushort Netuid, ulong Stake, int Nominators);

/// <summary>GET /api/accounts/{ss58}: with its root claim type (<c>Swap</c> or <c>Keep</c>) and the hotkeys it stakes on in root.</summary>
public sealed record AccountDto(string Address, ulong Balance, ulong NextNonce, IReadOnlyList<string> Hotkeys, string RootClaimType,
    IReadOnlyList<string> RootHotkeys);

/// <summary>
/// GET /api/hotkeys/{ss58}: stakes (netuid 0 is TAO on root), <see cref="RootStake"/> (Σ TAO on root, rao) and what each root
/// nominator may claim per subnet (<see cref="RootClaimable"/>, alpha rao).
/// </summary>
public sealed record HotkeyDto(string Address, string? Owner, ushort Take, IReadOnlyList<RegistrationDto> Registrations,
    IReadOnlyList<StakeDto> Stakes, IReadOnlyDictionary<string, AxonDto> Axons, ulong RootStake, IReadOnlyList<RootClaimableDto> RootClaimable);

/// <summary>Root dividends a coldkey may claim from a hotkey on a subnet, alpha rao.</summary>
public sealed record RootClaimableDto(ushort Netuid, string Coldkey, ulong Alpha);

public sealed record RegistrationDto(ushort Netuid, ushort Uid);

public sealed record StakeDto(ushort Netuid, string Coldkey, ulong Alpha);

/// <summary>
/// GET /api/subnets/{netuid}/commits/{hotkey}: the hotkey's unrevealed weight commits and the subnet's epoch clock. A
/// commit is revealed when <see cref="EpochIndex"/> equals its <see cref="WeightCommitDto.RevealEpoch"/>.
/// </summary>
public sealed record WeightCommitsDto(ushort Netuid, string Hotkey, bool CommitRevealWeightsEnabled, ulong CommitRevealPeriod, ulong Block,
    ulong EpochIndex, ulong NextEpochBlock, ulong Tempo, IReadOnlyList<WeightCommitDto> Commits);

/// <summary>One commit: its hash, the epoch and block it was made in, its reveal epoch, and whether that has passed.</summary>
public sealed record WeightCommitDto(string Hash, ulong CommitEpoch, ulong CommitBlock, ulong RevealEpoch, bool Expired);

/// <summary>GET /api/chain/state-hash: the block and the state hash as of it.</summary>
public sealed record StateHashDto(ulong Block, string StateHash);
