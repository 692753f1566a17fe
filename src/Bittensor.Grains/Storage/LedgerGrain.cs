using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains.Storage;

/// <summary>
/// A grain whose state the chain changes by journaled batches: each batch applies at most once (by sequence number),
/// all or nothing — a failure midway or a failed write drops the activation's memory (see <see cref="StoredGrain"/>).
/// </summary>
public abstract class LedgerGrain<TState, TChange> : StoredGrain where TState : class, ISequenced, new()
{
    private SingleState<TState> _state = null!;

    protected TState S => _state.State;

    protected abstract string StateName { get; }

    protected abstract void Apply(TState state, TChange change);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new(OpenStore(StateName), Serializer);
        await _state.ReadAsync();
        Activated();
    }

    public Task<TState> GetStateAsync()
    {
        EnsureUsable();
        return Task.FromResult(S);
    }

    public Task ApplyAsync(long seq, ImmutableArray<TChange> changes) => ApplyAsync(seq, 0, changes);

    /// <summary>Applies a batch of <paramref name="block"/> (0: unknown) once.</summary>
    public async Task ApplyAsync(long seq, ulong block, ImmutableArray<TChange> changes)
    {
        EnsureUsable();
        if (seq <= S.LastSeq) return;
        try
        {
            foreach (var c in changes) Apply(S, c);
            S.LastSeq = seq;
            Stamp(S, block);
            await _state.WriteAsync();
        }
        catch
        {
            Break();
            throw;
        }
        Applied(block);
    }

    /// <summary>Called after the state is read.</summary>
    protected virtual void Activated() { }

    /// <summary>Called on the changed state before it is written.</summary>
    protected virtual void Stamp(TState state, ulong block) { }

    /// <summary>Called once a batch is applied and written.</summary>
    protected virtual void Applied(ulong block) { }
}

/// <summary>
/// A ledger grain that keeps a version of its view per block in which it changed, for <c>Chain:HistoryBlocks</c> blocks
/// (see <see cref="History{T}"/>), so that it answers reads at a past block.
/// </summary>
public abstract class VersionedLedgerGrain<TState, TChange, TView>(IOptions<ChainOptions> options) : LedgerGrain<TState, TChange>
    where TState : class, IVersionedState, new() where TView : class
{
    private readonly History<TView> _history = new(options.Value.HistoryBlocks);

    /// <summary>The public view of <paramref name="state"/>.</summary>
    protected abstract TView View(TState state);

    /// <summary>The view now.</summary>
    protected TView Current => View(S);

    /// <summary>The view at the end of <paramref name="block"/>, if retained.</summary>
    protected Retained<TView> At(ulong block) => new(_history.At(block), _history.From);

    // A state never changed is as it was at genesis; one stored before ChangedAt was recorded has no known block.
    protected override void Activated()
    {
        if (S.LastSeq == 0 || S.ChangedAt != 0) _history.Record(S.ChangedAt, View(S));
    }

    protected override void Stamp(TState state, ulong block)
    {
        if (block != 0) state.ChangedAt = Math.Max(state.ChangedAt, block);
    }

    protected override void Applied(ulong block)
    {
        if (block == 0) _history.Clear();
        else _history.Record(S.ChangedAt, View(S));
    }
}
