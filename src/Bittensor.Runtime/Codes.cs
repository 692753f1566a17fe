namespace Bittensor.Runtime;

/// <summary>
/// Stable error codes: the rule a rejected call broke. The one list the chain, the REST API (status codes) and clients
/// share; a code never changes meaning.
/// </summary>
public static class Codes
{
    public const string InvalidAmount = nameof(InvalidAmount);
    public const string InvalidAddress = nameof(InvalidAddress);
    public const string InsufficientBalance = nameof(InsufficientBalance);
    public const string FaucetDisabled = nameof(FaucetDisabled);
    public const string FaucetDry = nameof(FaucetDry);
    public const string TooManySubnets = nameof(TooManySubnets);
    public const string HotkeyOwnedByAnother = nameof(HotkeyOwnedByAnother);
    public const string SubnetNotFound = nameof(SubnetNotFound);
    public const string RegistrationDisabled = nameof(RegistrationDisabled);
    public const string AlreadyRegistered = nameof(AlreadyRegistered);
    public const string NoNeuronToPrune = nameof(NoNeuronToPrune);
    public const string HotkeyNotFound = nameof(HotkeyNotFound);
    public const string AmountTooLow = nameof(AmountTooLow);
    public const string NotEnoughStake = nameof(NotEnoughStake);
    public const string SlippageTooHigh = nameof(SlippageTooHigh);
    public const string WeightVecLengthMismatch = nameof(WeightVecLengthMismatch);
    public const string TooManyUids = nameof(TooManyUids);
    public const string HotkeyNotRegistered = nameof(HotkeyNotRegistered);
    public const string NotEnoughStakeToSetWeights = nameof(NotEnoughStakeToSetWeights);
    public const string IncorrectWeightVersionKey = nameof(IncorrectWeightVersionKey);
    public const string CommitRevealEnabled = nameof(CommitRevealEnabled);
    public const string WeightsRateLimited = nameof(WeightsRateLimited);
    public const string NoValidatorPermit = nameof(NoValidatorPermit);
    public const string DuplicateUids = nameof(DuplicateUids);
    public const string UidNotFound = nameof(UidNotFound);
    public const string WeightVecLengthIsLow = nameof(WeightVecLengthIsLow);
    public const string InvalidIpAddress = nameof(InvalidIpAddress);
    public const string InvalidPort = nameof(InvalidPort);
    public const string NotOwner = nameof(NotOwner);
    /// <summary>Only the chain's sudo key (<c>Chain:Sudo</c>) sets this hyperparameter, as only root does on subtensor.</summary>
    public const string RootOnlyHyperparameter = nameof(RootOnlyHyperparameter);
    /// <summary>The owner set this hyperparameter less than its rate limit ago (2 tempos; <c>weights_version_key</c> 5).</summary>
    public const string HyperparameterRateLimited = nameof(HyperparameterRateLimited);
    /// <summary>The subnet's epoch is less than the admin freeze window away: owners wait until it has run.</summary>
    public const string AdminActionProhibitedDuringWeightsWindow = nameof(AdminActionProhibitedDuringWeightsWindow);
    public const string InvalidHyperparameter = nameof(InvalidHyperparameter);
    public const string TakeTooHigh = nameof(TakeTooHigh);
    public const string StaleNonce = nameof(StaleNonce);
    public const string FutureNonce = nameof(FutureNonce);
    /// <summary>The coldkey already owns <see cref="ChainRules.MaxHotkeysPerColdkey"/> hotkeys.</summary>
    public const string TooManyHotkeys = nameof(TooManyHotkeys);
    /// <summary>The hotkey already has <see cref="ChainRules.MaxNominatorsPerHotkey"/> nominators in the subnet.</summary>
    public const string TooManyNominators = nameof(TooManyNominators);
    /// <summary>An amount would leave the range of a u64 (nothing was changed).</summary>
    public const string ArithmeticOverflow = nameof(ArithmeticOverflow);
    // Moving stake and delegation (issue 10 parts 3 and 5), as subtensor names them.
    /// <summary>A move would leave the stake where it is: same coldkey, hotkey and subnet.</summary>
    public const string SameNetuid = nameof(SameNetuid);
    /// <summary>The subnet's owner has turned off <c>transfer_stake</c> (hyperparameter <c>transfer_allowed</c>).</summary>
    public const string TransferDisallowed = nameof(TransferDisallowed);
    /// <summary>A take change goes the wrong way (set_take to the current take, increase_take not higher, decrease_take not lower).</summary>
    public const string DelegateTakeTooLow = nameof(DelegateTakeTooLow);
    /// <summary>The take was changed less than <see cref="ChainRules.TakeRateLimit"/> blocks ago; increases must wait.</summary>
    public const string DelegateTxRateLimitExceeded = nameof(DelegateTxRateLimitExceeded);
    // The subnet lifecycle (issue 10 part 4), as subtensor names them.
    /// <summary><c>start_call</c> on a subnet already started.</summary>
    public const string FirstEmissionBlockNumberAlreadySet = nameof(FirstEmissionBlockNumberAlreadySet);
    /// <summary><c>start_call</c> before the start delay has passed (subtensor's spelling).</summary>
    public const string NeedWaitingMoreBlocksToStarCall = nameof(NeedWaitingMoreBlocksToStarCall);
    /// <summary>A subnet identity field is over its byte limit or carries a control character.</summary>
    public const string InvalidIdentity = nameof(InvalidIdentity);
    /// <summary>A rate-limited call (the owner hotkey change, set_children) came before its limit passed.</summary>
    public const string TxRateLimitExceeded = nameof(TxRateLimitExceeded);
    // The root network (issue 10 part 1), as subtensor names them.
    /// <summary><c>root_register</c> on a full root network by a hotkey whose root stake does not exceed the lowest member's.</summary>
    public const string StakeTooLowForRoot = nameof(StakeTooLowForRoot);
    /// <summary><c>claim_root</c> naming no subnet or more than five.</summary>
    public const string InvalidSubnetNumber = nameof(InvalidSubnetNumber);
    // Childkeys (issue 10 part 2), as subtensor names them.
    /// <summary><c>set_children</c> names a child twice.</summary>
    public const string DuplicateChild = nameof(DuplicateChild);
    /// <summary><c>set_children</c> names the parent itself as a child.</summary>
    public const string InvalidChild = nameof(InvalidChild);
    /// <summary><c>set_children</c> with more than five children.</summary>
    public const string TooManyChildren = nameof(TooManyChildren);
    /// <summary>The children's proportions sum to more than u64::MAX.</summary>
    public const string ProportionOverflow = nameof(ProportionOverflow);
    /// <summary>A child is already a parent of the hotkey (relations must not loop).</summary>
    public const string ChildParentInconsistency = nameof(ChildParentInconsistency);
    /// <summary>The parent's stake is below the stake threshold (the owner hotkey is exempt).</summary>
    public const string NotEnoughStakeToSetChildkeys = nameof(NotEnoughStakeToSetChildkeys);
    /// <summary>A childkey take outside [min, max] (0–18%).</summary>
    public const string InvalidChildkeyTake = nameof(InvalidChildkeyTake);
    /// <summary>A childkey take increase before its rate limit passed.</summary>
    public const string TxChildkeyTakeRateLimitExceeded = nameof(TxChildkeyTakeRateLimitExceeded);
    /// <summary>A subnet was created less than <see cref="ChainRules.NetworkRateLimit"/> blocks ago (subtensor's error name); the refusal names the block from which creation passes.</summary>
    public const string NetworkTxRateLimitExceeded = nameof(NetworkTxRateLimitExceeded);
    /// <summary>The hotkey served its axon on the subnet less than <c>serving_rate_limit</c> blocks ago (subtensor's error name).</summary>
    public const string ServingRateLimitExceeded = nameof(ServingRateLimitExceeded);
    /// <summary>
    /// The signer's free balance does not cover the transaction fee (Substrate's <c>InvalidTransaction::Payment</c>): the
    /// transaction is refused before the call runs and changes nothing. HTTP 402.
    /// </summary>
    public const string CannotPayFee = nameof(CannotPayFee);
    /// <summary>Storage cannot be written right now; nothing was applied. Retry later (HTTP 503 with Retry-After).</summary>
    public const string StorageUnavailable = nameof(StorageUnavailable);

    // Commit-reveal weights (subtensor's error names, subnets/weights.rs).
    /// <summary>commit_weights or reveal_weights on a subnet whose <c>commit_reveal_weights_enabled</c> is false.</summary>
    public const string CommitRevealDisabled = nameof(CommitRevealDisabled);
    /// <summary>A commit sooner than <c>weights_rate_limit</c> blocks after the neuron's last update (its last commit).</summary>
    public const string CommittingWeightsTooFast = nameof(CommittingWeightsTooFast);
    /// <summary>The hotkey already has <see cref="CommitReveal.MaxUnrevealedCommits"/> unexpired commits on the subnet.</summary>
    public const string TooManyUnrevealedCommits = nameof(TooManyUnrevealedCommits);
    /// <summary>A reveal when the hotkey has no unexpired commit on the subnet.</summary>
    public const string NoWeightsCommitFound = nameof(NoWeightsCommitFound);
    /// <summary>The revealed data does not hash to any of the hotkey's unexpired commits.</summary>
    public const string InvalidRevealCommitHashNotMatch = nameof(InvalidRevealCommitHashNotMatch);
    /// <summary>The revealed data matches a commit whose reveal epoch has passed.</summary>
    public const string ExpiredWeightCommit = nameof(ExpiredWeightCommit);
    /// <summary>The reveal comes before the commit's reveal epoch (commit epoch + <c>commit_reveal_period</c>).</summary>
    public const string RevealTooEarly = nameof(RevealTooEarly);
    /// <summary>commit_timelocked_weights with a <c>commit_reveal_version</c> other than the chain's (<see cref="TimelockReveal.CommitRevealVersion"/>).</summary>
    public const string IncorrectCommitRevealVersion = nameof(IncorrectCommitRevealVersion);
    /// <summary>A timelocked commit's <c>reveal_round</c> is already published, or further ahead than the chain accepts.</summary>
    public const string InvalidRevealRound = nameof(InvalidRevealRound);
    /// <summary>A timelocked commit that is not a ciphertext the chain can read (size, format byte, round in its header).</summary>
    public const string MalformedTimelockedCommit = nameof(MalformedTimelockedCommit);
    /// <summary>The parallel lists of a batch call differ in length.</summary>
    public const string InputLengthsUnequal = nameof(InputLengthsUnequal);

    // Transaction envelope (checked before the chain sees the call).
    public const string UnknownSigner = nameof(UnknownSigner);
    public const string BadSignature = nameof(BadSignature);
    public const string MalformedTransaction = nameof(MalformedTransaction);
    public const string WrongChain = nameof(WrongChain);
    public const string InvalidArgs = nameof(InvalidArgs);
    public const string UnknownCall = nameof(UnknownCall);
    /// <summary>The chain's block is past the payload's <c>valid_until</c>: the transaction can never be applied.</summary>
    public const string TransactionExpired = nameof(TransactionExpired);
    /// <summary>The payload's <c>valid_until</c> lies more than <see cref="Keys.ChainTarget.MaxMortality"/> blocks ahead.</summary>
    public const string MortalityTooLong = nameof(MortalityTooLong);
    /// <summary>No transaction with this hash is known (never seen, or too old for the index).</summary>
    public const string UnknownTransaction = nameof(UnknownTransaction);

    /// <summary>HTTP status of a rejection: 409 nonce and chain, 410 expired, 402 fee, 404 unknown transaction, 403 authority, 401 signature, 503 storage, 400 every other rule.</summary>
    public static int HttpStatus(string code) => code switch
    {
        StaleNonce or FutureNonce or WrongChain => 409,
        TransactionExpired => 410,
        CannotPayFee => 402,
        UnknownTransaction => 404,
        NotOwner or RootOnlyHyperparameter or HotkeyOwnedByAnother or FaucetDisabled => 403,
        UnknownSigner or BadSignature => 401,
        StorageUnavailable => 503,
        _ => 400,
    };
}
