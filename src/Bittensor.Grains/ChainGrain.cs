using System.Collections.Immutable;
using System.Diagnostics;
using Bittensor.Consensus;
using Bittensor.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Bittensor.Grains;

/// <summary>
/// The chain's shell around the pure runtime (<see cref="ChainRuntime"/>): the block clock, the only writer, the journal.
/// Every operation and every block is planned by the runtime against consistent reads, journaled as one
/// <see cref="Batch"/> with the chain's own state (write-ahead), then applied to the grains it touches; each grain applies a
/// batch at most once (by sequence number) and an unfinished batch is applied again before anything else, so a change is
/// all or nothing even across a silo failure.
/// <para>
/// The chain keeps every subnet's economy in its own state, so a block that only mints emission writes one entity; it
/// keeps the subnets' rosters it has read in memory (it is their only writer), so planning copies nothing per block.
/// Epochs start in a block and are computed by the consensus grains off the block path. When storage cannot be written
/// the chain pauses — reads go on, writes answer <see cref="Codes.StorageUnavailable"/> — and resumes by itself.
/// </para>
/// </summary>
public sealed partial class ChainGrain(IOptions<ChainOptions> options, ILogger<ChainGrain> logger) : StoredGrain, IChainGrain, IStateSource
{
    private ChainOptions O => options.Value;
    private readonly ChainRules _rules = options.Value.ToRules();
    private JournaledState _store = null!;
    private ChainState _state = new();
    private bool _recovered;
    /// <summary>Per grain, the last apply scheduled to it: applies to one grain run in journal order, different grains in parallel.</summary>
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    /// <summary>Background grain applies in flight at once: storage is not flooded (a flooded store answers late — the
    /// chain's own journal write waits behind whatever is in flight — and a write that times out on the client but lands
    /// on the server is an ambiguous write). A store such as Azurite serves requests one at a time, so a few in flight keep
    /// it busy, and the journal write queues behind at most that many.</summary>
    private readonly SemaphoreSlim _applySlots = new(4);
    /// <summary>Set while the journal is being written: background applies do not start then, so the block's one write
    /// (the chain's progress) does not queue in storage behind an epoch landing's hundreds of stake writes.</summary>
    private TaskCompletionSource? _journalWriting;
    /// <summary>Per journaled batch, all of its applies.</summary>
    private readonly Dictionary<long, Task> _batches = [];
    private string? _pauseReason;
    private readonly Dictionary<ushort, SubnetState> _subnets = [];
    private Published? _published;
    private IGrainTimer? _clock;
    private readonly BlockTimes _times = new();
    /// <summary>Batches journaled and not yet applied everywhere before a block waits for them (32 subnets' epochs landing in a row fit).</summary>
    private const int MaxJournal = 128;
    private DateTime _nextDue;
    /// <summary>Block-log entries of journaled batches not yet appended to the log, by sequence number: one append sends them all.</summary>
    private readonly SortedDictionary<long, LogCommand> _logPending = [];
    private long _logSent;
    /// <summary>Signed transactions refused since the last stored batch, recorded in the open block with the next batch.</summary>
    private readonly List<ExtrinsicRecord> _refused = [];
    /// <summary>Most refused extrinsics recorded per batch (a flood of refused calls adds no unbounded weight to a block).</summary>
    private const int MaxRefusedPerBatch = 256;

    private sealed record Published(ChainInfo Info, ImmutableDictionary<ushort, SubnetInfo> Subnets, ImmutableArray<ushort> Netuids);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new(OpenStore("chain", JournaledState.InlineLimit), Serializer);
        await _store.ReadAsync();
        _state = _store.State;
        if (!_state.Initialized)
        {
            var plan = NewPlan();
            await ChainRuntime.GenesisAsync(plan, O.GenesisIssuance, O.GenesisBalances, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            if (!await CommitAsync(plan, opened: DateTime.UtcNow)) throw new StorageUnavailableException($"genesis could not be stored: {_pauseReason}");
            LogGenesis(logger, O.Id, O.GenesisIssuance, O.GenesisIssuance - _state.GenesisReserve);
        }
        else
            await TryEnsureAppliedAsync();
    }

    // ---- reads: from the published snapshot, interleaved with everything ----

    public Task<ChainInfo> GetInfoAsync() => Task.FromResult(Snapshot.Info);

    public Task<ImmutableArray<ushort>> GetSubnetsAsync() => Task.FromResult(Snapshot.Netuids);

    public Task<SubnetInfo?> GetSubnetInfoAsync(ushort netuid) => Task.FromResult(Snapshot.Subnets.GetValueOrDefault(netuid));

    public Task<ChainStats> GetStatsAsync()
    {
        var (p50, p99) = _times.Percentiles();
        return Task.FromResult(new ChainStats
        {
            Block = _state.Block, BlocksProduced = _times.Produced, Epochs = _state.EpochsRun, BlockStepMsP50 = p50, BlockStepMsP99 = p99,
            OnTimeRatio = _times.OnTimeRatio, Paused = _pauseReason is not null, PauseReason = _pauseReason,
            EpochsInFlight = _state.Subnets.Values.Count(e => e.InFlight is not null),
            BlocksDue = _times.DueCount, BlocksOnTime = _times.OnTimeCount, BlocksHeld = _times.HeldCount,
        });
    }

    /// <summary>
    /// The views of the last stored state, built on the first read after a commit (a commit replaces <see cref="_state"/>
    /// and never changes it in place, so a read interleaved with a plan sees only stored state).
    /// </summary>
    private Published Snapshot => _published ??= Publish(_state);

    private Published Publish(ChainState st)
    {
        var info = new ChainInfo
        {
            ChainId = O.Id,
            Block = st.Block,
            TotalIssuance = st.TotalIssuance,
            BlockEmission = BlockEmission.ForIssuance(st.TotalIssuance),
            NextHalvingIssuance = BlockEmission.NextHalvingIssuance(st.TotalIssuance),
            Halvings = BlockEmission.Halvings(st.TotalIssuance),
            Subnets = st.Subnets.Count,
            NetworkLockCost = LockCost.At(st.Block, st.LastLockCost, st.LastLockBlock, _rules),
            BlockTime = O.BlockTime,
            Faucet = O.Faucet,
            GenesisReserve = st.GenesisReserve,
            // A chain stored before genesis hashes existed is named by its settings alone (no salt was drawn for it).
            GenesisHash = st.GenesisHash ?? ChainRuntime.GenesisHash(O.Id, O.GenesisIssuance, O.GenesisBalances, []),
            HistoryBlocks = O.HistoryBlocks,
            WeightFee = O.WeightFee,
            FeesBurned = st.FeesBurned,
            Sudo = O.Sudo,
        };
        return new Published(info, st.Subnets.ToImmutableDictionary(kv => kv.Key, kv => Info(kv.Value)), [.. st.Subnets.Keys.Order()]);
    }

    internal static SubnetInfo Info(SubnetEconomy e) => new()
    {
        Netuid = e.Netuid,
        OwnerColdkey = e.OwnerColdkey,
        OwnerHotkey = e.OwnerHotkey,
        RegisteredAt = e.RegisteredAt,
        N = e.N,
        Hyperparameters = e.Hyper,
        PoolTao = e.PoolTao,
        PoolAlpha = e.PoolAlpha,
        Price = PoolMath.Price(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight),
        MovingPrice = e.MovingPrice,
        PendingServer = e.PendingServer + (e.InFlight?.Server ?? 0),
        PendingValidator = e.PendingValidator + (e.InFlight?.Validator ?? 0),
        PendingOwnerCut = e.PendingOwnerCut + (e.InFlight?.OwnerCut ?? 0),
        AlphaIssued = e.AlphaIssued,
        AlphaStaked = e.AlphaStaked,
        ProtocolAlpha = e.ProtocolAlpha,
        AlphaBurned = e.AlphaBurned,
        Burn = e.Burn,
        LastEpochBlock = e.LastEpochBlock,
        EpochIndex = e.EpochIndex,
        NextEpochBlock = EpochSchedule.NextEpochStartBlock(e.Hyper.Tempo, e.LastEpochBlock, e.PendingEpochAt),
        Started = e.Started,
        StartCallBlock = e.StartCallBlock,
        Identity = e.Identity,
        QuoteWeight = e.QuoteWeight,
        PendingRootAlpha = e.PendingRootAlpha,
        RootClaimableAlpha = e.RootClaimableAlpha,
        Lock = e.Lock,
    };

    // ---- writes ----

    public async Task<OpResult> ExecuteAsync(Operation operation) => (await PlanAsync(operation, Apply.Await)).Result;

    public Task<JournaledOp> JournalAsync(Operation operation) => PlanAsync(operation, Apply.Detached);

    public async Task WaitAppliedAsync(long seq)
    {
        if (!_batches.TryGetValue(seq, out var applied)) return;
        try
        {
            await applied;
        }
        catch (Exception)
        {
            // Journaled: the next call or tick sees the failed apply, pauses, and applies the journal again.
        }
    }

    /// <summary>How a journaled batch's applies are run: awaited by the call, handed to the caller, or in the background.</summary>
    private enum Apply { Await, Detached, Background }

    private async Task<JournaledOp> PlanAsync(Operation operation, Apply apply)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await ProduceDueBlocksAsync();
        if (!await TryEnsureAppliedAsync()) return new(Unavailable(), 0);
        var plan = NewPlan();
        OpResult result;
        try
        {
            result = await ChainRuntime.ExecuteAsync(plan, operation);
        }
        catch (OverflowException)
        {
            Discard(plan);
            return new(OpResult.Fail(Codes.ArithmeticOverflow, "an amount would leave the range of a u64; nothing was changed", _state.Block), 0);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            // Reading a grain failed (its storage is down, or its silo is failing over): nothing was planned that is kept.
            Discard(plan);
            Pause(e);
            return new(Unavailable(), 0);
        }
        if (!result.Ok)
        {
            Discard(plan);
            if (operation.Hash is not null && _refused.Count < MaxRefusedPerBatch)
                _refused.Add(new ExtrinsicRecord { Hash = operation.Hash, Signer = operation.Signer, Call = Runtime.Extrinsics.Calls.For(operation).Name, Code = result.Code });
            return new(result, 0);
        }
        if (result.Resubmitted)
        {
            // The original is journaled (its receipt is in the signer's account); the caller waits for the latest batch,
            // so that what it reads next includes it.
            Discard(plan);
            return new(result, _state.Seq);
        }
        if (!await CommitAsync(plan, apply)) return new(Unavailable(), 0);
        return new(result with { Block = _state.Block }, _state.Seq);
    }

    public async Task<ImmutableArray<RuleFailure>> PreflightAsync(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!await TryEnsureAppliedAsync()) return [new RuleFailure(Codes.StorageUnavailable, Unavailable().Message!)];
        var plan = NewPlan();
        try
        {
            return await ChainRuntime.PreflightAsync(plan, operation);
        }
        catch (OverflowException)
        {
            return [new RuleFailure(Codes.ArithmeticOverflow, "an amount would leave the range of a u64")];
        }
        finally
        {
            Discard(plan);
        }
    }

    public Task StartClockAsync()
    {
        if (_clock is not null) return Task.CompletedTask;
        _nextDue = DateTime.UtcNow + O.BlockTime;
        // Each tick sets the next one for the next block's due time (an Orleans grain timer counts its period from the end
        // of a tick, so a fixed period would start blocks up to a period late); the period is only the fallback.
        _clock = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = O.BlockTime, Period = O.BlockTime / 2, KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <summary>Produces the blocks that are due (a block time apart from the clock's start), then sets the clock for the next.</summary>
    private async Task TickAsync(CancellationToken cancellation)
    {
        await ProduceDueBlocksAsync();
        // Paused: retry after half a block time; otherwise wake at the next due time (at once when still behind).
        var wait = _pauseReason is not null ? O.BlockTime / 2 : _nextDue - DateTime.UtcNow;
        _clock?.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, O.BlockTime / 2);
    }

    /// <summary>Produces the blocks that are due; called by the clock and ahead of every operation, so a queue of calls never holds the clock back.</summary>
    private async Task ProduceDueBlocksAsync()
    {
        if (_clock is null) return;
        for (int catchUp = 0; catchUp < 4 && DateTime.UtcNow >= _nextDue; catchUp++)
        {
            var due = _nextDue;
            try
            {
                if (!await ProduceBlockAsync(wait: false))
                {
                    _times.Held(); // paused: try again next tick, same due time
                    return;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogBlockFailed(logger, e, _state.Block + 1);
                Pause(e);
                return;
            }
            _times.Due(DateTime.UtcNow - due <= O.BlockTime);
            _nextDue = due + O.BlockTime;
        }
        if (DateTime.UtcNow - _nextDue > CatchUpWindow)
        {
            // Far behind: do not burst; the slots given up count as late blocks.
            _times.Missed((long)((DateTime.UtcNow - _nextDue) / O.BlockTime));
            _nextDue = DateTime.UtcNow + O.BlockTime;
        }
    }

    /// <summary>
    /// How far behind its due times the clock still catches up (a few blocks at a time, between calls) rather than giving
    /// slots up: 8 block times, and at least a second, so that a pause of a garbage collection or a burst of epochs does
    /// not cost a fast chain its slots.
    /// </summary>
    private TimeSpan CatchUpWindow => O.BlockTime * 8 > TimeSpan.FromSeconds(1) ? O.BlockTime * 8 : TimeSpan.FromSeconds(1);

    public async Task<ulong> ProduceBlocksAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (int i = 0; i < count; i++)
            if (!await ProduceBlockAsync(wait: true)) throw new StorageUnavailableException($"block {_state.Block + 1} cannot be stored now: {_pauseReason}");
        return _state.Block;
    }

    /// <summary>
    /// One block: the runtime's emission step; epochs that start now are started on their subnets and waited for up to
    /// <see cref="ChainOptions.EffectiveEpochWait"/> (land now) or set aside (land in a later block); outcomes of epochs in
    /// flight that are ready land. False when the chain is paused (nothing changed).
    /// </summary>
    private async Task<bool> ProduceBlockAsync(bool wait)
    {
        long begun = Stopwatch.GetTimestamp();
        if (!await TryEnsureAppliedAsync()) return false;
        // Back-pressure: the journal never runs far ahead of the grains (each batch is stored once, so a long journal does
        // not make a block's write larger; the bound is on what a recovery must apply again).
        if (_state.Journal.Count > MaxJournal && !await SettleAllAsync()) return false;
        long started = Stopwatch.GetTimestamp(), inputs = 0, computed = 0, landed = 0;
        var plan = NewPlan();
        var running = new List<(EpochStart Start, Task<EpochOutcome?> Outcome)>();
        try
        {
            var starts = ChainRuntime.StepBlock(plan);
            await TimelockReveal.RunAsync(plan, starts); // weights revealed now are inputs of the next block's epochs
            await RootNetwork.AttachAsync(plan, starts);
            foreach (var e in _state.Subnets.Values.Where(e => e.InFlight is not null).OrderBy(e => e.Netuid))
            {
                var f = e.InFlight!;
                var start = new EpochStart { Netuid = e.Netuid, Index = f.Index, Block = f.Block, Hyper = e.Hyper, RaoEmission = f.Server + f.Validator };
                await SettledAsync(SubnetKey(e.Netuid));
                running.Add((start, GrainFactory.GetGrain<ISubnetLedger>(e.Netuid).RunEpochAsync(start, TimeSpan.Zero, wait)));
            }
            // Blocks produced on request (tests, tools) wait for their epochs, so stepping is deterministic; the clock
            // waits at most Chain:EpochWait and sets slower epochs aside.
            var epochWait = wait || O.EffectiveEpochWait > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20) : O.EffectiveEpochWait;
            foreach (var start in starts)
            {
                await SettledAsync(SubnetKey(start.Netuid)); // the epoch's inputs include every journaled change
                running.Add((start, GrainFactory.GetGrain<ISubnetLedger>(start.Netuid).RunEpochAsync(start, epochWait, wait)));
            }
            inputs = Stopwatch.GetTimestamp();
            await Task.WhenAll(running.Select(r => r.Outcome));
            computed = Stopwatch.GetTimestamp();
            foreach (var (start, outcome) in running)
            {
                if (outcome.Result is { } o) await ChainRuntime.LandEpochAsync(plan, o);
                else if (starts.Contains(start)) ChainRuntime.SetAside(plan, start);
            }
            landed = Stopwatch.GetTimestamp();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Discard(plan);
            Pause(e);
            return false;
        }
        if (!await CommitAsync(plan, wait ? Apply.Await : Apply.Background, opened: DateTime.UtcNow)) return false;
        long committed = Stopwatch.GetTimestamp();
        double stepMs = Stopwatch.GetElapsedTime(started, committed).TotalMilliseconds;
        _times.Add(stepMs);
        Telemetry.ChainTelemetry.BlockStored(stepMs, () => _state.Subnets.Values.Select(e => (e.Netuid, PoolMath.Price(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight))));
        if (Stopwatch.GetElapsedTime(begun, committed) > O.BlockTime && logger.IsEnabled(LogLevel.Debug))
        {
            static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
            LogSlowBlock(logger, _state.Block, Ms(begun, committed), Ms(begun, started), Ms(started, inputs), Ms(inputs, computed),
                Ms(computed, landed), Ms(landed, committed), running.Count);
        }
        return true;
    }

    /// <summary>
    /// A what-if in the chain's turn (no block or operation lands meanwhile): forks of the stored state read the rosters,
    /// hotkeys and accounts through the chain's own reads, after every journaled change to them is applied.
    /// </summary>
    public async Task<WhatIfResult> WhatIfAsync(WhatIfRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await TryEnsureAppliedAsync()) return WhatIfResult.Refused(Codes.StorageUnavailable, "netuid", Unavailable().Message!);
        var state = _state;
        var source = new ForkSource(this);
        return await WhatIf.RunAsync(() => InMemoryChain.ForkAsync(_rules, state, source), request);
    }

    /// <summary>
    /// How a what-if fork reads: rosters from the subnet grains themselves (the chain's cached rosters lack the bonds,
    /// which only the subnet grains keep), accounts and hotkeys as plans read them.
    /// </summary>
    private sealed class ForkSource(ChainGrain chain) : IStateSource
    {
        public ValueTask<AccountState> AccountAsync(string address) => ((IStateSource)chain).AccountAsync(address);

        public ValueTask<HotkeyState> HotkeyAsync(string address) => ((IStateSource)chain).HotkeyAsync(address);

        public async ValueTask<SubnetState?> SubnetAsync(ushort netuid)
        {
            if (netuid != RootNetwork.Netuid && !chain._state.Subnets.ContainsKey(netuid)) return null;
            await chain.SettledAsync(SubnetKey(netuid));
            return await chain.GrainFactory.GetGrain<ISubnetLedger>(netuid).GetStateAsync();
        }
    }

    // ---- the journal ----

    private ChainPlan NewPlan() => new(_state.Clone(), this, _rules);

    /// <summary>
    /// Journals the plan with the chain's new state in one write, then applies it to the grains it addresses: awaited
    /// (<see cref="Apply.Await"/>: the caller reads its own writes), left for the caller to wait for outside the chain's
    /// turn (<see cref="Apply.Detached"/>: signed transactions), or in the background a few at a time
    /// (<see cref="Apply.Background"/>: clock blocks — an epoch landing's hundreds of stake writes do not hold the next
    /// block). False when nothing was stored.
    /// </summary>
    private async Task<bool> CommitAsync(ChainPlan plan, Apply apply = Apply.Await, DateTime? opened = null)
    {
        var batch = plan.ToBatch(opened, [.. _refused]);
        var next = plan.Chain;
        next.Seq = batch.Seq;
        next.Journal = [.. _state.Journal.Where(b => !Applied(b.Seq)), batch];
        var writing = _journalWriting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _store.WriteAsync(next);
        }
        catch (Exception e)
        {
            Discard(plan);
            Pause(e);
            return false;
        }
        finally
        {
            if (_journalWriting == writing) _journalWriting = null;
            writing.SetResult();
        }
        foreach (long seq in _batches.Keys.Where(seq => Applied(seq) && next.Journal.All(b => b.Seq != seq)).ToList()) _batches.Remove(seq);
        _state = next;
        _published = null;
        _refused.Clear();
        var applied = Schedule(batch, throttled: apply == Apply.Background);
        if (apply != Apply.Await)
        {
            Resume(); // storage took the journal; a failing background apply pauses the chain again at the next call
            return true;
        }
        try
        {
            await applied;
            Resume();
        }
        catch (Exception e)
        {
            Pause(e); // journaled: applied by the next call or tick
        }
        return true;
    }

    private bool Applied(long seq) => _batches.TryGetValue(seq, out var t) && t.IsCompletedSuccessfully;

    /// <summary>
    /// Schedules the batch's applies, each after the previous apply to the same grain. Background applies to accounts,
    /// hotkeys and indexes (<paramref name="throttled"/>: a clock block's, such as an epoch landing's hundreds of stake
    /// writes) take one of a bounded number of slots; an operation's few applies, which its caller awaits, and subnet
    /// rosters do not queue behind them.
    /// </summary>
    private Task Schedule(Batch batch, bool throttled)
    {
        var tasks = new List<Task>();
        foreach (var log in batch.Commands.OfType<LogCommand>()) _logPending.TryAdd(batch.Seq, log);
        foreach (var (key, apply) in Applies(batch))
        {
            var previous = _tails.GetValueOrDefault(key) ?? Task.CompletedTask;
            // A subnet's roster write is one per subnet and what its next transactions and epoch wait for: never
            // queued behind another subnet's hundreds of stake writes.
            var task = throttled && !key.StartsWith("s:", StringComparison.Ordinal) ? After(previous, apply)
                : previous.IsCompletedSuccessfully ? apply() : Then(previous, apply);
            _tails[key] = task;
            tasks.Add(task);
        }
        if (_tails.Count > 50_000)
            foreach (var done in _tails.Where(kv => kv.Value.IsCompletedSuccessfully).Select(kv => kv.Key).ToList()) _tails.Remove(done);
        var all = Task.WhenAll(tasks);
        _batches[batch.Seq] = all;
        return all;

        static async Task Then(Task previous, Func<Task> apply)
        {
            await previous;
            await apply();
        }

        async Task After(Task previous, Func<Task> apply)
        {
            await previous; // a failed earlier apply to this grain must be retried first: never apply out of order
            await _applySlots.WaitAsync();
            try
            {
                while (_journalWriting is { } writing) await writing.Task;
                await apply();
            }
            finally
            {
                _applySlots.Release();
            }
        }
    }

    /// <summary>Waits until every journaled change to one grain is applied (a plan reads it next).</summary>
    private async ValueTask SettledAsync(string key)
    {
        if (_tails.TryGetValue(key, out var tail) && !tail.IsCompletedSuccessfully) await tail;
    }

    /// <summary>
    /// True when every journaled batch is applied or being applied without failure; otherwise lets the outstanding
    /// applies settle and applies the whole journal again in order (each grain skips what it already has); false
    /// (paused) when a grain cannot apply it now.
    /// </summary>
    private async Task<bool> TryEnsureAppliedAsync()
    {
        EnsureUsable();
        if (_recovered && !_batches.Values.Any(t => t.IsFaulted)) return true;
        try
        {
            await OutstandingAppliesAsync();
            foreach (var batch in _state.Journal) await ApplyBatchAsync(batch);
            _tails.Clear();
            _batches.Clear();
            foreach (var batch in _state.Journal) _batches[batch.Seq] = Task.CompletedTask;
            _recovered = true;
            return Resume();
        }
        catch (Exception e)
        {
            Pause(e);
            return false;
        }
    }

    /// <summary>Waits for every outstanding apply (false, paused, if one failed and cannot be redone now).</summary>
    private async Task<bool> SettleAllAsync()
    {
        await OutstandingAppliesAsync();
        return await TryEnsureAppliedAsync();
    }

    /// <summary>Completes when every scheduled apply has finished, successfully or not.</summary>
    private Task OutstandingAppliesAsync() => Task.WhenAll(_batches.Values).ContinueWith(_ => { }, TaskScheduler.Current);

    private Task ApplyBatchAsync(Batch batch) => Task.WhenAll(Applies(batch).Select(a => a.Apply()));

    /// <summary>The batch's commands grouped per grain, as (grain key, apply).</summary>
    private IEnumerable<(string Key, Func<Task> Apply)> Applies(Batch batch)
    {
        // Subnets first: an epoch landing's roster write is what the subnet's next operations and epoch wait for; its
        // hundreds of stake writes to hotkeys come after.
        foreach (var group in batch.Commands.OfType<SubnetCommandFor>().GroupBy(c => c.Netuid))
            yield return (SubnetKey(group.Key), () => GrainFactory.GetGrain<ISubnetLedger>(group.Key).ApplyAsync(batch.Seq, batch.Block, [.. group.Select(c => c.Command)]));
        foreach (var group in batch.Commands.OfType<AccountCommand>().GroupBy(c => c.Address))
            yield return ($"a:{group.Key}", () => GrainFactory.GetGrain<IAccountLedger>(group.Key).ApplyAsync(batch.Seq, batch.Block, [.. group.Select(c => c.Change)]));
        foreach (var group in batch.Commands.OfType<HotkeyCommand>().GroupBy(c => c.Address))
            yield return ($"h:{group.Key}", () => GrainFactory.GetGrain<IHotkeyLedger>(group.Key).ApplyAsync(batch.Seq, batch.Block, [.. group.Select(c => c.Change)]));
        foreach (var log in batch.Commands.OfType<LogCommand>())
            yield return (LogKey, () => AppendToLogAsync(batch.Seq, log));
        foreach (var group in batch.Commands.OfType<IndexCommand>().GroupBy(c => (c.Kind, c.Shard)))
        {
            string index = IAddressIndex.KeyOf(group.Key.Kind, group.Key.Shard);
            yield return ($"i:{index}", () => GrainFactory.GetGrain<IAddressIndex>(index).ApplyAsync(batch.Seq, [.. group.Select(c => c.Address)]));
        }
    }

    private static string SubnetKey(ushort netuid) => $"s:{netuid}";

    private const string LogKey = "l:0";

    /// <summary>
    /// Appends the batch's block-log entry together with every entry journaled since the last append (appends run one at a
    /// time in journal order, so while one is stored the next batches gather and go in one write: a slow store makes
    /// appends larger, not later). The log skips entries it has (by sequence number), so an append repeated after a failure
    /// or a failover adds nothing twice.
    /// </summary>
    private async Task AppendToLogAsync(long seq, LogCommand command)
    {
        if (seq <= _logSent) return;
        _logPending.TryAdd(seq, command);
        var entries = _logPending.Select(kv => new LogEntry(kv.Key, kv.Value)).ToImmutableArray();
        await GrainFactory.GetGrain<IBlockLogLedger>(IBlockLog.Key).AppendAsync(entries);
        foreach (var e in entries) _logPending.Remove(e.Seq);
        _logSent = Math.Max(_logSent, entries[^1].Seq);
    }

    /// <summary>Drops what a plan changed in the shared roster cache (it was not stored).</summary>
    private void Discard(ChainPlan plan)
    {
        foreach (ushort netuid in plan.MutatedSubnets) _subnets.Remove(netuid);
    }

    private void Pause(Exception e)
    {
        if (e is InconsistentStateException || e.InnerException is InconsistentStateException)
        {
            // Storage holds a newer chain state than this activation (a write that failed here was applied there, or
            // another activation wrote): drop this one; the next activation reads storage and applies its journal.
            LogStale(logger, _state.Block);
            Break();
        }
        if (_pauseReason is null) LogPaused(logger, e, _state.Block);
        _pauseReason = e is StorageUnavailableException or InjectedStorageFaultException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        // A roster in the cache may now disagree with a grain that failed midway: read them again.
        _subnets.Clear();
    }

    private bool Resume()
    {
        if (_pauseReason is null) return true;
        LogResumed(logger, _state.Block);
        _pauseReason = null;
        return true;
    }

    private OpResult Unavailable() => OpResult.Fail(Codes.StorageUnavailable,
        $"the chain is paused because storage cannot be written ({_pauseReason ?? "unknown"}); nothing was applied — retry shortly", _state.Block);

    // ---- IStateSource: how plans read ----

    async ValueTask<AccountState> IStateSource.AccountAsync(string address)
    {
        await SettledAsync($"a:{address}");
        return await GrainFactory.GetGrain<IAccountLedger>(address).GetStateAsync();
    }

    async ValueTask<HotkeyState> IStateSource.HotkeyAsync(string address)
    {
        await SettledAsync($"h:{address}");
        return await GrainFactory.GetGrain<IHotkeyLedger>(address).GetStateAsync();
    }

    async ValueTask<SubnetState?> IStateSource.SubnetAsync(ushort netuid)
    {
        if (netuid != RootNetwork.Netuid && !_state.Subnets.ContainsKey(netuid)) return null;
        if (!_subnets.TryGetValue(netuid, out var s))
        {
            await SettledAsync(SubnetKey(netuid));
            _subnets[netuid] = s = await GrainFactory.GetGrain<ISubnetLedger>(netuid).GetStateAsync();
        }
        return s;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Genesis of chain {ChainId}: issuance {Issuance} rao, {Allocated} rao in genesis balances")]
    private static partial void LogGenesis(ILogger logger, string chainId, ulong issuance, ulong allocated);

    [LoggerMessage(Level = LogLevel.Error, Message = "Producing block {Block} failed")]
    private static partial void LogBlockFailed(ILogger logger, Exception exception, ulong block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain paused at block {Block}: storage or a grain cannot be written; it resumes by itself")]
    private static partial void LogPaused(ILogger logger, Exception exception, ulong block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain state in storage is newer than this activation's (block {Block}): reloading")]
    private static partial void LogStale(ILogger logger, ulong block);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Block {Block} took {Ms:0.0} ms: journal catch-up {Journal:0.0}, epoch inputs {Inputs:0.0}, epochs {Epochs:0.0}, landing {Landing:0.0}, commit {Commit:0.0} ({Running} epochs)")]
    private static partial void LogSlowBlock(ILogger logger, ulong block, double ms, double journal, double inputs, double epochs, double landing, double commit, int running);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chain resumed at block {Block}")]
    private static partial void LogResumed(ILogger logger, ulong block);
}

/// <summary>Block step times (the last 4096) and the share of clock-driven blocks produced on time.</summary>
internal sealed class BlockTimes
{
    private readonly double[] _ms = new double[4096];
    private long _count;
    private long _due, _onTime, _held;

    public ulong Produced => (ulong)_count;

    public ulong DueCount => (ulong)_due;

    public ulong OnTimeCount => (ulong)_onTime;

    public ulong HeldCount => (ulong)_held;

    public double OnTimeRatio => _due == 0 ? 1 : (double)_onTime / _due;

    public void Add(double ms) => _ms[_count++ % _ms.Length] = ms;

    /// <summary>A due block held back because production is paused.</summary>
    public void Held() => _held++;

    /// <summary>Slots skipped without a block (counted as due and late).</summary>
    public void Missed(long slots) => _due += slots;

    public void Due(bool onTime)
    {
        _due++;
        if (onTime) _onTime++;
    }

    public (double P50, double P99) Percentiles()
    {
        int n = (int)Math.Min(_count, _ms.Length);
        if (n == 0) return (0, 0);
        var sorted = _ms.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return (sorted[(n - 1) / 2], sorted[(int)Math.Ceiling(0.99 * n) - 1]);
    }
}
