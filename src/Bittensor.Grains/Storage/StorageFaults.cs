using Orleans.Serialization;
using Orleans.Storage;

namespace Bittensor.Grains.Storage;

/// <summary>The grain storage the network's grains write through (the <c>chain</c> provider, maybe behind fault injection).</summary>
public sealed class ChainStorage(IGrainStorage storage)
{
    public IGrainStorage Storage { get; } = storage;
}

/// <summary>A storage failure injected by <see cref="StorageFaults"/>.</summary>
public sealed class InjectedStorageFaultException(string message) : IOException(message);

/// <summary>
/// Faults to inject into the chain's grain storage, for tests that prove a storage failure pauses the chain and never
/// corrupts it: fail the n-th write from now, or fail reads and writes until healed. Also measures every entity written.
/// </summary>
public sealed class StorageFaults
{
    private readonly Lock _gate = new();
    private long _failWriteAt;
    private long _writes;
    private bool _failWrites;
    private bool _failReads;

    /// <summary>Writes attempted since start.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Largest serialized entity written, bytes.</summary>
    public long LargestEntity { get; private set; }

    /// <summary>The state name of the largest entity written.</summary>
    public string? LargestEntityName { get; private set; }

    /// <summary>The <paramref name="n"/>-th write from now (1 = the next) fails, once.</summary>
    public void FailNthWrite(int n)
    {
        lock (_gate) _failWriteAt = Writes + n;
    }

    /// <summary>Every read and/or write fails until <see cref="Heal"/>.</summary>
    public void Fail(bool reads = true, bool writes = true)
    {
        lock (_gate) (_failReads, _failWrites) = (reads, writes);
    }

    public void Heal()
    {
        lock (_gate) (_failReads, _failWrites, _failWriteAt) = (false, false, 0);
    }

    internal void OnWrite(string stateName, long size)
    {
        long n = Interlocked.Increment(ref _writes);
        lock (_gate)
        {
            if (size > LargestEntity) (LargestEntity, LargestEntityName) = (size, stateName);
            if (_failWrites) throw new InjectedStorageFaultException($"injected: storage refuses writes ({stateName})");
            if (n == _failWriteAt)
            {
                _failWriteAt = 0;
                throw new InjectedStorageFaultException($"injected: write #{n} fails ({stateName})");
            }
        }
    }

    internal void OnRead(string stateName)
    {
        lock (_gate)
            if (_failReads) throw new InjectedStorageFaultException($"injected: storage refuses reads ({stateName})");
    }
}

/// <summary>Grain storage that consults <see cref="StorageFaults"/> before passing each call on.</summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        faults.OnRead(stateName);
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        faults.OnWrite(stateName, serializer.SerializeToArray(grainState.State).Length);
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        faults.OnWrite(stateName, 0);
        return inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
