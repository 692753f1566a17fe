using System.Collections.Immutable;

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
    }

    public Task<TState> GetStateAsync()
    {
        EnsureUsable();
        return Task.FromResult(S);
    }

    public async Task ApplyAsync(long seq, ImmutableArray<TChange> changes)
    {
        EnsureUsable();
        if (seq <= S.LastSeq) return;
        try
        {
            foreach (var c in changes) Apply(S, c);
            S.LastSeq = seq;
            await _state.WriteAsync();
        }
        catch
        {
            Break();
            throw;
        }
    }
}
