using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Bittensor;

/// <summary>The singleton chain: block clock, issuance and emission, and the only writer — every operation goes through it, in order.</summary>
[Alias("Bittensor.IChainGrain")]
public interface IChainGrain : IGrainWithIntegerKey
{
    /// <summary>The key of the one chain grain.</summary>
    public const long Key = 0;

    /// <summary>The clock and supply as of the last stored block (never waits behind block production).</summary>
    [ClientCallable, Alias("GetInfo"), AlwaysInterleave] Task<ChainInfo> GetInfoAsync();

    /// <summary>A subnet's economy and hyperparameters as of the last stored block, or null (never waits behind block production).</summary>
    [ClientCallable, Alias("GetSubnetInfo"), AlwaysInterleave] Task<SubnetInfo?> GetSubnetInfoAsync(ushort netuid);

    /// <summary>Block production figures: blocks, epochs, block step times, blocks on time, whether the chain is paused.</summary>
    [ClientCallable, Alias("GetStats"), AlwaysInterleave] Task<ChainStats> GetStatsAsync();

    /// <summary>Validates and applies an operation atomically; a rejection names the rule and changes nothing.</summary>
    [Alias("Execute")] Task<OpResult> ExecuteAsync(Operation operation);

    /// <summary>
    /// As <see cref="ExecuteAsync"/>, but returns once the operation is journaled (durable), without holding the chain
    /// while the grains it changes apply it: the caller then waits with <see cref="WaitAppliedAsync"/>, interleaved, so
    /// that a slow store holds one caller, not the chain and every other caller.
    /// </summary>
    [Alias("Journal")] Task<JournaledOp> JournalAsync(Operation operation);

    /// <summary>Completes when the journaled batch <paramref name="seq"/> is applied to every grain it changes (or has failed to be: it is applied again before anything else).</summary>
    [Alias("WaitApplied"), AlwaysInterleave] Task WaitAppliedAsync(long seq);

    /// <summary>Every rule the operation would break now (empty when it would be applied), changing nothing.</summary>
    [Alias("Preflight")] Task<ImmutableArray<RuleFailure>> PreflightAsync(Operation operation);

    /// <summary>Produces <paramref name="count"/> blocks now (emission, epochs — each epoch lands in the block it starts); returns the new block number.</summary>
    [Alias("ProduceBlocks")] Task<ulong> ProduceBlocksAsync(int count);

    /// <summary>Starts producing a block every configured block time (idempotent).</summary>
    [Alias("StartClock")] Task StartClockAsync();

    [ClientCallable, Alias("GetSubnets"), AlwaysInterleave] Task<ImmutableArray<ushort>> GetSubnetsAsync();

    /// <summary>Checks that TAO and every subnet's alpha are conserved to the rao.</summary>
    [Alias("Audit")] Task<AuditReport> AuditAsync();

    /// <summary>The <see cref="Runtime.StateHash"/> of everything the chain holds, once every journaled change is applied.</summary>
    [Alias("StateHash")] Task<string> StateHashAsync();

    /// <summary>
    /// Forks the chain as it stands and runs the subnet's next epochs twice in memory, as they come and with the request's
    /// edits; per UID both outcomes. Changes nothing on the chain; a refusal names the field.
    /// </summary>
    [Alias("WhatIf")] Task<WhatIfResult> WhatIfAsync(WhatIfRequest request);
}

/// <summary>An account (key: SS58 address): free balance, nonce, owned hotkeys.</summary>
[Alias("Bittensor.IAccountGrain"), ClientCallable]
public interface IAccountGrain : IGrainWithStringKey
{
    [Alias("Get")] Task<AccountView> GetAsync();

    /// <summary>The account as it was at the end of <paramref name="block"/>, if this grain still retains that block.</summary>
    [Alias("GetAt")] Task<Retained<AccountView>> GetAtAsync(ulong block);
}

/// <summary>A hotkey (key: SS58 address): owner, registrations, stakes per (netuid, nominator), take, axons.</summary>
[Alias("Bittensor.IHotkeyGrain"), ClientCallable]
public interface IHotkeyGrain : IGrainWithStringKey
{
    [Alias("Get")] Task<HotkeyView> GetAsync();

    /// <summary>The hotkey as it was at the end of <paramref name="block"/>, if this grain still retains that block.</summary>
    [Alias("GetAt")] Task<Retained<HotkeyView>> GetAtAsync(ulong block);
}

/// <summary>A subnet (key: netuid).</summary>
[Alias("Bittensor.ISubnetGrain"), ClientCallable]
public interface ISubnetGrain : IGrainWithIntegerKey
{
    /// <summary>The subnet, or null when no subnet has this netuid.</summary>
    [Alias("GetInfo"), AlwaysInterleave] Task<SubnetInfo?> GetInfoAsync();

    /// <summary>Every neuron with its stake, outputs and axon, in one call, as of the last stored change.</summary>
    [Alias("GetMetagraph"), AlwaysInterleave] Task<MetagraphView?> GetMetagraphAsync();

    /// <summary>The metagraph as it was at the end of <paramref name="block"/>, if this grain still retains that block (null value: no such subnet then).</summary>
    [Alias("GetMetagraphAt"), AlwaysInterleave] Task<Retained<MetagraphView>> GetMetagraphAtAsync(ulong block);

    /// <summary>
    /// The non-empty weight or bond rows of UIDs <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/> − 1,
    /// now (<paramref name="block"/> null) or at the end of a retained block.
    /// </summary>
    [Alias("GetMatrix"), AlwaysInterleave] Task<Retained<MatrixView>> GetMatrixAsync(MatrixKind kind, ulong? block, int offset, int limit);

    /// <summary>Every non-empty stored weight row (weights are public chain state).</summary>
    [Alias("GetWeights")] Task<ImmutableArray<WeightRow>> GetWeightsAsync();

    /// <summary>The newest <paramref name="limit"/> epochs, newest first.</summary>
    [Alias("GetEpochs")] Task<ImmutableArray<EpochSummary>> GetEpochsAsync(int limit);

    /// <summary>A hotkey's weight commits not yet revealed, oldest first (empty when it is not registered here); public chain state.</summary>
    [Alias("GetCommits")] Task<ImmutableArray<WeightCommit>> GetCommitsAsync(string hotkey);

    /// <summary>The hotkey's childkeys as they stand at <paramref name="block"/> (the chain's current block); null when the subnet does not exist.</summary>
    [Alias("GetChildkeys")] Task<ChildkeysView?> GetChildkeysAsync(string hotkey, ulong block);
}

/// <summary>One recorded epoch (key: "netuid/index").</summary>
[Alias("Bittensor.IEpochRecordGrain"), ClientCallable]
public interface IEpochRecordGrain : IGrainWithStringKey
{
    [Alias("Get")] Task<EpochRecord?> GetAsync();

    public static string KeyOf(ushort netuid, ulong index) => $"{netuid}/{index}";
}
