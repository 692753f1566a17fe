namespace Bittensor.Runtime;

/// <summary>
/// The network's rules that configuration sets (the silo binds them from <c>Chain:*</c>): everything the runtime needs
/// besides state, so the same runtime runs in a silo, in a test or in a simulator.
/// </summary>
public sealed record ChainRules
{
    /// <summary>Chain identifier; signed transactions name it.</summary>
    public string Id { get; init; } = "bittensor-orleans";

    /// <summary>Development faucet: any key may draw from the genesis reserve.</summary>
    public bool Faucet { get; init; }

    /// <summary>Largest single faucet draw, rao.</summary>
    public ulong FaucetMax { get; init; } = 10_000 * Tao.Rao;

    /// <summary>
    /// Weight of root stake in every subnet's stake weight, in parts of u64::MAX (subtensor's <c>TaoWeight</c>, default
    /// 971 718 665 099 567 868 ≈ 0.05268): a validator's stake weight is <c>alpha + tao_weight·root_tao</c>.
    /// </summary>
    public ulong TaoWeight { get; init; } = RootNetwork.DefaultTaoWeight;

    /// <summary>Tempo of newly created subnets.</summary>
    public ulong NewSubnetTempo { get; init; } = 360;

    /// <summary>Minimum network lock cost, rao.</summary>
    public ulong MinLockCost { get; init; } = 1_000 * Tao.Rao;

    /// <summary>Blocks over which a doubled lock cost decays back.</summary>
    public ulong LockReductionInterval { get; init; } = 14 * 7200;

    /// <summary>Most subnets (excluding root).</summary>
    public int MaxSubnets { get; init; } = 128;

    /// <summary>Most epochs started per block; the rest are deferred a block.</summary>
    public int MaxEpochsPerBlock { get; init; } = 2;

    /// <summary>Most hotkeys one coldkey may own (an account's state stays small).</summary>
    public int MaxHotkeysPerColdkey { get; init; } = 4096;

    /// <summary>Most coldkeys staking on one hotkey in one subnet (a hotkey's state and an epoch's journal stay bounded).</summary>
    public int MaxNominatorsPerHotkey { get; init; } = 16_384;

    /// <summary>Blocks a take increase waits after the last take change (<c>TxDelegateTakeRateLimit</c>, ~30 days).</summary>
    public ulong TakeRateLimit { get; init; } = 216_000;

    /// <summary>Lowest delegate take, u16 proportion (<c>MinDelegateTake</c>: 0%).</summary>
    public ushort MinTake { get; init; }

    /// <summary>The chain's root key (subtensor's sudo): sets every hyperparameter of every subnet, with no rate limit or freeze window.</summary>
    public string? Sudo { get; init; }

    /// <summary>Owners may also set the root-only hyperparameters (a development or test network); off on a real network.</summary>
    public bool OwnerRootParameters { get; init; }

    /// <summary>Blocks before a subnet's epoch in which its owner may not change hyperparameters (subtensor's AdminFreezeWindow, 10).</summary>
    public ulong AdminFreezeWindow { get; init; } = 10;

    /// <summary>Tempos between an owner's changes of one hyperparameter (subtensor: 2; <c>weights_version_key</c> 5).</summary>
    public ulong OwnerHyperparameterRateLimitTempos { get; init; } = 2;

    /// <summary>Blocks after a subnet's creation before its owner may call <c>start_call</c> (subtensor's runtime <c>InitialStartCallDelay</c>: 0; root sets it).</summary>
    public ulong StartCallDelay { get; init; }

    /// <summary>
    /// New subnets are started at creation, as if their owner had called <c>start_call</c> at once (a development or test
    /// network); off on a real network, where a subnet gets no emission until its owner calls <c>start_call</c>.
    /// </summary>
    public bool StartSubnetsAtCreation { get; init; }

    /// <summary>Blocks after its creation in which a subnet is never dissolved to make room at the cap (subtensor's runtime <c>InitialNetworkImmunityPeriod</c>: 1 296 000).</summary>
    public ulong NetworkImmunityPeriod { get; init; } = 1_296_000;

    /// <summary>Blocks between two changes of a subnet's owner hotkey (subtensor's <c>DefaultSetSNOwnerHotkeyRateLimit</c>: 50 400).</summary>
    public ulong OwnerHotkeyRateLimit { get; init; } = 50_400;

    /// <summary>Blocks a <c>set_children</c> waits before it applies on a started subnet (subtensor's <c>DefaultPendingCooldown</c>: 7 200).</summary>
    public ulong PendingChildKeyCooldown { get; init; } = 7_200;

    /// <summary>Blocks between two <c>set_children</c> of one hotkey on one subnet (subtensor's <c>SetChildren</c> rate limit: 150).</summary>
    public ulong SetChildrenRateLimit { get; init; } = 150;

    /// <summary>Blocks between a hotkey's childkey take change and its next increase (subtensor's runtime <c>TxChildkeyTakeRateLimit</c>: 216 000).</summary>
    public ulong ChildkeyTakeRateLimit { get; init; } = 216_000;

    /// <summary>Lowest childkey take (subtensor's runtime <c>InitialMinChildKeyTake</c>: 0).</summary>
    public ushort MinChildkeyTake { get; init; }

    /// <summary>Highest childkey take (subtensor's runtime <c>InitialMaxChildKeyTake</c>: 11 796, 18%).</summary>
    public ushort MaxChildkeyTake { get; init; } = 11_796;
    /// <summary>
    /// Blocks between two subnet creations on the whole network (subtensor's <c>NetworkRateLimit</c>: 7,200 in the runtime,
    /// 28,800 on mainnet after a migration); 0: no limit. A creation sooner is refused <c>NetworkTxRateLimitExceeded</c>.
    /// </summary>
    public ulong NetworkRateLimit { get; init; } = 7200;

    /// <summary>
    /// <c>serving_rate_limit</c> of new subnets: blocks between two <c>serve_axon</c> of one hotkey on one subnet (subtensor's
    /// <c>ServingRateLimit</c>, 50; owners change it per subnet). A serve sooner is refused <c>ServingRateLimitExceeded</c>.
    /// </summary>
    public ulong ServingRateLimit { get; init; } = 50;

    /// <summary>
    /// Transaction fee per unit of weight, in rao per 10⁹ units (subtensor's <c>LinearWeightToFee</c>: 500,000, i.e. 0.0005 rao
    /// per picosecond of ref_time); 0: no fees. See <see cref="Fees"/>.
    /// </summary>
    public ulong WeightFee { get; init; } = Fees.SubtensorWeightFee;

    /// <summary>
    /// Seed of the in-cluster randomness beacon (<see cref="HashChainBeacon"/>) to whose rounds timelocked weights are
    /// encrypted. Whoever knows it can read every timelocked commit early: an operator sets a secret one.
    /// </summary>
    public string BeaconSeed { get; init; } = "bittensor-orleans development beacon";

    /// <summary>Rounds of the beacon's hash chain (its lifetime is this many times <see cref="BeaconRoundBlocks"/> blocks).</summary>
    public ulong BeaconRounds { get; init; } = 1 << 20;

    /// <summary>Blocks per beacon round: round r is published at block r · BeaconRoundBlocks.</summary>
    public ulong BeaconRoundBlocks { get; init; } = 1;

    /// <summary>How far ahead of the latest published round a timelocked commit may aim, in rounds.</summary>
    public ulong MaxRevealRoundsAhead { get; init; } = 100_000;
}
