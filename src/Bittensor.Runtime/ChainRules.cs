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
}
