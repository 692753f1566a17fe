using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Bittensor.Grains.Storage;

/// <summary>
/// A grain whose state lives in a <see cref="ChunkedStore"/>. A grain whose write (or whose apply) failed never keeps
/// the unwritten state: it refuses every further call and deactivates, and its next activation reads what storage holds.
/// </summary>
public abstract class StoredGrain : Grain
{
    private bool _broken;

    protected Serializer Serializer => ServiceProvider.GetRequiredService<Serializer>();

    protected ChunkedStore OpenStore(string name, Func<string, int>? inlineLimit = null) =>
        new(ServiceProvider.GetRequiredService<ChainStorage>().Storage, name, this.GetGrainId(), inlineLimit);

    /// <summary>Throws when an earlier failure left this activation's memory ahead of storage.</summary>
    protected void EnsureUsable()
    {
        if (_broken) throw new StorageUnavailableException($"{this.GetGrainId()} is reloading its state after a failed write; retry");
    }

    /// <summary>Drops this activation's state (it may be ahead of storage): refuse calls, deactivate, reload on next use.</summary>
    protected void Break()
    {
        _broken = true;
        DeactivateOnIdle();
    }
}

/// <summary>A grain state of type <typeparamref name="T"/> stored as one part of a <see cref="ChunkedStore"/>.</summary>
public sealed class SingleState<T>(ChunkedStore store, Serializer serializer) where T : class, new()
{
    private const string Part = "state";

    public T State { get; set; } = new();

    public async Task ReadAsync()
    {
        var parts = await store.ReadAsync();
        State = parts.TryGetValue(Part, out var bytes) ? serializer.Deserialize<T>(bytes) ?? new T() : new T();
    }

    public Task WriteAsync() => store.WriteAsync(new Dictionary<string, byte[]> { [Part] = serializer.SerializeToArray(State) });

    public async Task ClearAsync()
    {
        await store.ClearAsync();
        State = new T();
    }
}
