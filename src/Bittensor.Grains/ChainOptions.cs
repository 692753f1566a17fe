using System.ComponentModel.DataAnnotations;

namespace Bittensor.Grains;

/// <summary>
/// The network's configuration (section <c>Chain</c>), validated at start. Production defaults: 12 s blocks,
/// new-subnet tempo 360, no faucet; the Development environment uses subtensor's fast-blocks values.
/// </summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    /// <summary>Chain identifier; signed transactions name it.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,63}$")]
    public string Id { get; set; } = "bittensor-orleans";

    /// <summary>Time between blocks.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Total issuance at genesis, rao (lets a demo start just before a halving). Must cover the genesis balances.</summary>
    public ulong GenesisIssuance { get; set; }

    /// <summary>Free balances at genesis: address → rao. The rest of the genesis issuance is the reserve the faucet draws from.</summary>
    public Dictionary<string, ulong> GenesisBalances { get; set; } = [];

    /// <summary>Development faucet: any key may draw from the genesis reserve.</summary>
    public bool Faucet { get; set; }

    /// <summary>Largest single faucet draw, rao.</summary>
    public ulong FaucetMax { get; set; } = 10_000 * Tao.Rao;

    /// <summary>Tempo of newly created subnets (360 on mainnet; 10 with fast blocks).</summary>
    [Range(1, 50_400)]
    public ulong NewSubnetTempo { get; set; } = 360;

    /// <summary>Minimum network lock cost, rao.</summary>
    public ulong MinLockCost { get; set; } = 1_000 * Tao.Rao;

    /// <summary>Blocks over which a doubled lock cost decays back (NetworkLockReductionInterval).</summary>
    [Range(1, ulong.MaxValue)]
    public ulong LockReductionInterval { get; set; } = 14 * 7200;

    /// <summary>Weight of root stake in stake weight, parts of u64::MAX (subtensor's <c>TaoWeight</c>; default ≈ 0.05268).</summary>
    public ulong TaoWeight { get; set; } = new ChainRules().TaoWeight;

    /// <summary>Most subnets (excluding root).</summary>
    [Range(1, 1024)]
    public int MaxSubnets { get; set; } = 128;

    /// <summary>Most epochs per block; the rest are deferred a block.</summary>
    [Range(1, 64)]
    public int MaxEpochsPerBlock { get; set; } = 2;

    /// <summary>
    /// Let external Orleans clients call unsigned writes (the chain's ExecuteAsync and ProduceBlocksAsync, the ledgers).
    /// Off by default: clients change the network only by signed transactions. For tests and private tooling.
    /// </summary>
    public bool TrustClients { get; set; }

    /// <summary>
    /// This Production deployment is a test network: <see cref="Faucet"/> and <see cref="TrustClients"/>, which mint TAO
    /// or bypass signatures, are allowed in Production only with it (Development allows them always).
    /// </summary>
    public bool Testnet { get; set; }

    /// <summary>
    /// Seed of the in-cluster randomness beacon that timelocked weights (<c>commit_timelocked_weights</c>) are sealed to.
    /// Whoever knows it can read every timelocked commit before its round: a real deployment sets a secret one.
    /// </summary>
    public string BeaconSeed { get; set; } = new ChainRules().BeaconSeed;

    /// <summary>Rounds in the beacon's hash chain (its life is this many rounds).</summary>
    [Range(1, 1 << 26)]
    public ulong BeaconRounds { get; set; } = new ChainRules().BeaconRounds;

    /// <summary>Blocks per beacon round.</summary>
    [Range(1, 1_000_000)]
    public ulong BeaconRoundBlocks { get; set; } = 1;

    /// <summary>How many rounds past the latest published one a timelocked commit may aim.</summary>
    public ulong MaxRevealRoundsAhead { get; set; } = new ChainRules().MaxRevealRoundsAhead;

    /// <summary>The chain's root key (SS58): sets every hyperparameter, including the root-only ones, with no rate limit.</summary>
    public string? Sudo { get; set; }

    /// <summary>Owners may set the root-only hyperparameters too (kappa, tempo, weights_rate_limit, …): for development and test networks.</summary>
    public bool OwnerRootParameters { get; set; }

    /// <summary>Blocks before an epoch in which owners may not change hyperparameters (subtensor: 10).</summary>
    [Range(0, 50_400)]
    public ulong AdminFreezeWindow { get; set; } = 10;

    /// <summary>Tempos between an owner's changes of one hyperparameter (subtensor: 2).</summary>
    [Range(0, 1_000)]
    public ulong OwnerHyperparameterRateLimitTempos { get; set; } = 2;

    /// <summary>Blocks after a subnet's creation before its owner may call <c>start_call</c> (subtensor: 0).</summary>
    public ulong StartCallDelay { get; set; }

    /// <summary>New subnets emit from creation, without <c>start_call</c>: for development and test networks.</summary>
    public bool StartSubnetsAtCreation { get; set; }

    /// <summary>Blocks after its creation in which a subnet is never dissolved at the subnet cap (subtensor: 1,296,000).</summary>
    public ulong NetworkImmunityPeriod { get; set; } = 1_296_000;

    /// <summary>Blocks between two changes of a subnet's owner hotkey (subtensor: 50,400).</summary>
    public ulong OwnerHotkeyRateLimit { get; set; } = 50_400;

    /// <summary>Blocks a <c>set_children</c> waits on a started subnet before it applies (subtensor: 7,200).</summary>
    public ulong PendingChildKeyCooldown { get; set; } = 7_200;

    /// <summary>Blocks between two <c>set_children</c> of one hotkey on one subnet (subtensor: 150).</summary>
    public ulong SetChildrenRateLimit { get; set; } = 150;

    /// <summary>Blocks between a childkey take change and the next increase (subtensor: 216,000).</summary>
    public ulong ChildkeyTakeRateLimit { get; set; } = 216_000;
    /// <summary>Blocks between two subnet creations on the network (subtensor's <c>NetworkRateLimit</c>: 7,200); 0: no limit.</summary>
    public ulong NetworkRateLimit { get; set; } = 7200;

    /// <summary><c>serving_rate_limit</c> of new subnets: blocks between two serves of one hotkey's axon (subtensor: 50); 0: no limit.</summary>
    public ulong ServingRateLimit { get; set; } = 50;

    /// <summary>
    /// Transaction fee in rao per 10⁹ units of call weight (subtensor's <c>LinearWeightToFee</c>: 500,000, about 0.0016 TAO for
    /// an add_stake); 0: no fees. The fee is burned.
    /// </summary>
    public ulong WeightFee { get; set; } = Fees.SubtensorWeightFee;

    /// <summary>Whether the clock starts by itself when the silo starts.</summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>
    /// How long a block waits for an epoch that starts in it before the epoch goes off the block path and lands in a later
    /// block (default: half a block time). A long wait makes every epoch land in the block it starts (tests that step the clock).
    /// </summary>
    public TimeSpan? EpochWait { get; set; }

    /// <summary>Epoch records keep their full inputs up to this many weight and bond entries (a 4096-UID subnet has up to 33 M).</summary>
    [Range(0, long.MaxValue)]
    public long EpochRecordMaxEntries { get; set; } = 2_000_000;

    /// <summary>Most hotkeys one coldkey may own.</summary>
    [Range(1, 1_000_000)]
    public int MaxHotkeysPerColdkey { get; set; } = 4096;

    /// <summary>Most coldkeys staking on one hotkey in one subnet.</summary>
    [Range(1, 10_000_000)]
    public int MaxNominatorsPerHotkey { get; set; } = 16_384;

    /// <summary>Blocks a delegate take increase waits after the last take change (subtensor: 216,000, ~30 days).</summary>
    public ulong TakeRateLimit { get; set; } = 216_000;

    /// <summary>Lowest delegate take, u16 proportion of 65535 (subtensor: 0).</summary>
    [Range(0, HotkeyState.DefaultTake)]
    public ushort MinTake { get; set; }

    /// <summary>
    /// Blocks the block log keeps (headers, extrinsics, events; <c>/api/blocks</c>, <c>/api/events</c>): older pages are
    /// dropped from storage. Default 50,400 (a week of 12 s blocks).
    /// </summary>
    [Range(1, 100_000_000)]
    public ulong RetainBlocks { get; set; } = 50_400;

    /// <summary>Blocks per stored page of the block log (a page also closes early at 256 KiB): a block's write rewrites only its page.</summary>
    [Range(1, 10_000)]
    public int BlockLogPageBlocks { get; set; } = 100;

    /// <summary>
    /// Blocks of history kept for reads at a past block (<c>?block=N</c> on metagraphs, weights, bonds, accounts and
    /// hotkeys): each grain keeps a version of its view per block in which it changed, for this many blocks, in memory.
    /// </summary>
    [Range(0, 100_000)]
    public ulong HistoryBlocks { get; set; } = 256;

    /// <summary>The effective epoch wait.</summary>
    public TimeSpan EffectiveEpochWait => EpochWait ?? BlockTime / 2;

    /// <summary>The rules the runtime applies.</summary>
    public ChainRules ToRules() => new()
    {
        Id = Id, Faucet = Faucet, FaucetMax = FaucetMax, NewSubnetTempo = NewSubnetTempo, MinLockCost = MinLockCost,
        LockReductionInterval = LockReductionInterval, MaxSubnets = MaxSubnets, MaxEpochsPerBlock = MaxEpochsPerBlock,
        MaxHotkeysPerColdkey = MaxHotkeysPerColdkey, MaxNominatorsPerHotkey = MaxNominatorsPerHotkey,
        TakeRateLimit = TakeRateLimit, MinTake = MinTake,
        Sudo = Sudo, OwnerRootParameters = OwnerRootParameters, AdminFreezeWindow = AdminFreezeWindow,
        OwnerHyperparameterRateLimitTempos = OwnerHyperparameterRateLimitTempos,
        StartCallDelay = StartCallDelay, StartSubnetsAtCreation = StartSubnetsAtCreation, OwnerHotkeyRateLimit = OwnerHotkeyRateLimit,
        NetworkImmunityPeriod = NetworkImmunityPeriod,
        PendingChildKeyCooldown = PendingChildKeyCooldown, SetChildrenRateLimit = SetChildrenRateLimit, ChildkeyTakeRateLimit = ChildkeyTakeRateLimit,
        NetworkRateLimit = NetworkRateLimit, ServingRateLimit = ServingRateLimit, WeightFee = WeightFee,
        BeaconSeed = BeaconSeed, BeaconRounds = BeaconRounds, BeaconRoundBlocks = BeaconRoundBlocks, MaxRevealRoundsAhead = MaxRevealRoundsAhead,
        TaoWeight = TaoWeight,
    };

    /// <summary>Checks what data annotations cannot.</summary>
    public IEnumerable<string> Problems()
    {
        UInt128 total = 0;
        foreach (var (address, balance) in GenesisBalances)
        {
            if (string.IsNullOrWhiteSpace(address)) yield return "Chain:GenesisBalances has an empty address";
            total += balance;
        }
        if (total > GenesisIssuance)
            yield return $"Chain:GenesisIssuance ({GenesisIssuance} rao) is smaller than the genesis balances ({total} rao)";
        if (EpochWait < TimeSpan.Zero) yield return "Chain:EpochWait must not be negative";
        if (GenesisIssuance >= Bittensor.Consensus.BlockEmission.TotalSupply)
            yield return "Chain:GenesisIssuance must be below the total supply of 21,000,000 TAO";
    }
}
