using System.Collections.Immutable;
using Bittensor.Consensus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>
/// The chain: the block clock, total issuance and the halving, and the only writer. Every operation and every block
/// is planned against consistent reads, journaled as one <see cref="Batch"/> in the chain's own state (write-ahead),
/// then applied to the grains it touches; each grain applies a batch at most once (by sequence number), and an
/// unfinished batch is re-applied on the next activation, so a change is all or nothing even across a silo failure.
/// </summary>
public sealed partial class ChainGrain(
    [PersistentState("chain", StorageNames.Chain)] IPersistentState<ChainState> state,
    IOptions<ChainOptions> options,
    ILogger<ChainGrain> logger) : Grain, IChainGrain
{
    private ChainOptions O => options.Value;
    private ChainState St => state.State;
    private IGrainTimer? _clock;
    private bool _batchApplied;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!St.Initialized) await GenesisAsync();
        else await EnsureAppliedAsync();
    }

    private async Task GenesisAsync()
    {
        var plan = new ChainPlan(GrainFactory);
        ulong allocated = 0;
        foreach (var (address, balance) in O.GenesisBalances.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            await plan.AccountAsync(address, new AccountChange(checked((long)balance)));
            allocated += balance;
        }
        plan.Chain(st =>
        {
            st.Initialized = true;
            st.TotalIssuance = O.GenesisIssuance;
            st.GenesisReserve = O.GenesisIssuance - allocated;
        });
        await CommitAsync(plan);
        LogGenesis(logger, O.Id, O.GenesisIssuance, allocated);
    }

    public Task<ChainInfo> GetInfoAsync() => Task.FromResult(new ChainInfo
    {
        ChainId = O.Id,
        Block = St.Block,
        TotalIssuance = St.TotalIssuance,
        BlockEmission = BlockEmission.ForIssuance(St.TotalIssuance),
        NextHalvingIssuance = BlockEmission.NextHalvingIssuance(St.TotalIssuance),
        Halvings = BlockEmission.Halvings(St.TotalIssuance),
        Subnets = St.Subnets.Count,
        NetworkLockCost = LockCost.At(St.Block, St.LastLockCost, St.LastLockBlock, O),
        BlockTime = O.BlockTime,
        Faucet = O.Faucet,
        GenesisReserve = St.GenesisReserve,
    });

    public Task<ImmutableArray<ushort>> GetSubnetsAsync() => Task.FromResult(St.Subnets.Order().ToImmutableArray());

    public Task StartClockAsync()
    {
        _clock ??= this.RegisterGrainTimer(async _ =>
        {
            try
            {
                await ProduceBlockAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogBlockFailed(logger, e, St.Block + 1);
            }
        }, new GrainTimerCreationOptions { DueTime = O.BlockTime, Period = O.BlockTime, KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<ulong> ProduceBlocksAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (int i = 0; i < count; i++) await ProduceBlockAsync();
        return St.Block;
    }

    /// <summary>Journals the plan with the chain's own changes in one write, then applies it to the grains.</summary>
    private async Task CommitAsync(ChainPlan plan)
    {
        await EnsureAppliedAsync();
        var batch = new Batch(St.Seq + 1, [.. plan.Commands]);
        try
        {
            St.Seq = batch.Seq;
            foreach (var change in plan.ChainChanges) change(St);
            St.Pending = batch;
            await state.WriteStateAsync();
        }
        catch
        {
            // The in-memory state may be ahead of storage: reload it on the next call.
            DeactivateOnIdle();
            throw;
        }
        _batchApplied = false;
        await ApplyBatchAsync(batch);
        _batchApplied = true;
    }

    private async Task EnsureAppliedAsync()
    {
        if (_batchApplied) return;
        if (St.Pending is { } pending) await ApplyBatchAsync(pending);
        _batchApplied = true;
    }

    private async Task ApplyBatchAsync(Batch batch)
    {
        var tasks = new List<Task>();
        foreach (var group in batch.Commands.OfType<AccountCommand>().GroupBy(c => c.Address))
            tasks.Add(Retry(() => GrainFactory.GetGrain<IAccountLedger>(group.Key).ApplyAsync(batch.Seq, [.. group.Select(c => c.Change)])));
        foreach (var group in batch.Commands.OfType<HotkeyCommand>().GroupBy(c => c.Address))
            tasks.Add(Retry(() => GrainFactory.GetGrain<IHotkeyLedger>(group.Key).ApplyAsync(batch.Seq, [.. group.Select(c => c.Change)])));
        foreach (var group in batch.Commands.OfType<SubnetCommandFor>().GroupBy(c => c.Netuid))
            tasks.Add(Retry(() => GrainFactory.GetGrain<ISubnetLedger>(group.Key).ApplyAsync(batch.Seq, [.. group.Select(c => c.Command)])));
        foreach (var r in batch.Commands.OfType<EpochRecordCommand>())
        {
            tasks.Add(Retry(() => GrainFactory.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(r.Netuid, r.Record.Index)).SetAsync(r.Record)));
            if (r.Forget is ulong old) tasks.Add(Retry(() => GrainFactory.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(r.Netuid, old)).ClearAsync()));
        }
        await Task.WhenAll(tasks);
    }

    private static async Task Retry(Func<Task> action)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception) when (attempt < 5)
            {
                // A grain on a failed silo reactivates elsewhere within seconds; the apply is idempotent.
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Genesis of chain {ChainId}: issuance {Issuance} rao, {Allocated} rao in genesis balances")]
    private static partial void LogGenesis(ILogger logger, string chainId, ulong issuance, ulong allocated);

    [LoggerMessage(Level = LogLevel.Error, Message = "Producing block {Block} failed; it will be retried")]
    private static partial void LogBlockFailed(ILogger logger, Exception exception, ulong block);
}
