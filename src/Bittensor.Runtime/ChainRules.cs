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
