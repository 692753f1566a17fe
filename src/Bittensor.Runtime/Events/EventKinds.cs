using System.Collections.Frozen;

namespace Bittensor.Runtime;

/// <summary>
/// Every kind of <see cref="ChainEvent"/>, in one place: a new kind is a constant here and a line in <see cref="All"/>
/// (the REST API validates <c>kind=</c> against it and lists it in its errors). Names follow subtensor's events.
/// </summary>
public static class EventKinds
{
    public const string Transfer = "Transfer";
    public const string Faucet = "Faucet";
    public const string StakeAdded = "StakeAdded";
    public const string StakeRemoved = "StakeRemoved";
    public const string StakeMoved = "StakeMoved";
    public const string StakeTransferred = "StakeTransferred";
    public const string StakeSwapped = "StakeSwapped";
    public const string NeuronRegistered = "NeuronRegistered";
    public const string NeuronPruned = "NeuronPruned";
    public const string WeightsSet = "WeightsSet";
    public const string WeightsCommitted = "WeightsCommitted";
    public const string WeightsRevealed = "WeightsRevealed";
    public const string WeightsBatchRevealed = "WeightsBatchRevealed";
    public const string TimelockedWeightsCommitted = "TimelockedWeightsCommitted";
    public const string TimelockedWeightsRevealed = "TimelockedWeightsRevealed";
    public const string AxonServed = "AxonServed";
    public const string NetworkAdded = "NetworkAdded";
    public const string NetworkRemoved = "NetworkRemoved";
    public const string HyperparameterSet = "HyperparameterSet";
    public const string TakeIncreased = "TakeIncreased";
    public const string TakeDecreased = "TakeDecreased";
    public const string EpochCompleted = "EpochCompleted";
    public const string Halving = "Halving";
    public const string SetChildren = "SetChildren";
    public const string SetChildrenScheduled = "SetChildrenScheduled";
    public const string TransactionFeePaid = "TransactionFeePaid";
    public const string FirstEmissionBlockNumberSet = "FirstEmissionBlockNumberSet";
    public const string SubnetIdentitySet = "SubnetIdentitySet";
    public const string SubnetOwnerHotkeySet = "SubnetOwnerHotkeySet";
    public const string ChildKeyTakeSet = "ChildKeyTakeSet";
    public const string RootClaimed = "RootClaimed";
    public const string RootClaimTypeSet = "RootClaimTypeSet";

    /// <summary>Every kind with the fields it sets (the reference for clients; <c>docs/events.md</c> is generated from the same list by hand).</summary>
    public static FrozenDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        [Transfer] = "coldkey (from), destColdkey (to), tao",
        [Faucet] = "coldkey, tao (drawn from the genesis reserve)",
        [StakeAdded] = "coldkey, hotkey, netuid, tao (paid), alpha (credited)",
        [StakeRemoved] = "coldkey, hotkey, netuid, alpha (sold), tao (credited to coldkey)",
        [StakeMoved] = "coldkey, hotkey, netuid, destHotkey, destNetuid, alpha (taken), destAlpha (credited), tao (TAO through the pools across subnets; credited free to the coldkey when destAlpha is 0)",
        [StakeTransferred] = "as StakeMoved, with destColdkey (the new owner of the stake)",
        [StakeSwapped] = "as StakeMoved (same hotkey, another subnet)",
        [NeuronRegistered] = "coldkey, hotkey, netuid, uid, tao (burned)",
        [NeuronPruned] = "hotkey, netuid, uid (replaced by the NeuronRegistered that follows)",
        [WeightsSet] = "hotkey, netuid, uid, number (weights in the row)",
        [WeightsCommitted] = "hotkey, netuid, uid, value (commit hash)",
        [WeightsRevealed] = "hotkey, netuid, uid",
        [WeightsBatchRevealed] = "hotkey, netuid, uid, number (reveals)",
        [TimelockedWeightsCommitted] = "hotkey, netuid, uid, value (BLAKE2b-256 of the commit), number (reveal round)",
        [TimelockedWeightsRevealed] = "hotkey, netuid, uid (the chain decrypted and set the weights; a WeightsSet precedes it)",
        [AxonServed] = "hotkey, netuid, value (ip:port)",
        [NetworkAdded] = "coldkey (owner), hotkey (owner hotkey), netuid, tao (lock cost)",
        [NetworkRemoved] = "coldkey (owner), netuid, tao (the pool's TAO paid out to its stakers) — a subnet dissolved at the subnet cap",
        [SetChildren] = "coldkey, hotkey (the parent), netuid, number (block the children took effect), value (the children's hotkeys, comma-separated)",
        [SetChildrenScheduled] = "as SetChildren; number is the block from which they apply (after the pending cooldown)",
        [TransactionFeePaid] = "coldkey (the signer), tao (the fee, burned)",
        [FirstEmissionBlockNumberSet] = "coldkey (owner), netuid, number (first block with emission): start_call",
        [SubnetIdentitySet] = "coldkey (owner), netuid",
        [SubnetOwnerHotkeySet] = "coldkey (owner or sudo), hotkey (the new owner hotkey), netuid",
        [ChildKeyTakeSet] = "coldkey, hotkey, netuid, number (take, u16 proportion of 65535)",
        [RootClaimed] = "coldkey, hotkey, netuid, alpha (root dividends claimed), tao (Swap: the TAO the alpha sold for, staked on root on the hotkey; absent for Keep, whose alpha is staked on the hotkey in the subnet)",
        [RootClaimTypeSet] = "coldkey, value (Swap or Keep)",
        [HyperparameterSet] = "coldkey (owner or sudo), netuid, name, value",
        [TakeIncreased] = "coldkey, hotkey, number (take, u16 proportion of 65535)",
        [TakeDecreased] = "coldkey, hotkey, number (take, u16 proportion of 65535)",
        [EpochCompleted] = "netuid, number (epoch index), epoch (emission totals in rao of alpha: raoEmission, serverEmission, validatorEmission, ownerCut, burned, carried)",
        [Halving] = "number (halvings so far), tao (block emission from now on, rao)",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
