namespace Bittensor.Grains;

/// <summary>
/// Versions of a grain's published view, one per block in which it changed, for reads at a past block. Bounded: a
/// version is dropped once its successor is older than the retention window (<c>Chain:HistoryBlocks</c> blocks before
/// the newest version), so at most <c>retention + 1</c> versions are kept whatever the traffic. Kept in the grain's
/// memory, not in storage: an activation starts with one version, its stored state as of the block it last changed.
/// </summary>
internal sealed class History<T>(ulong retention) where T : class
{
    private readonly List<(ulong Block, T Value)> _versions = [];

    /// <summary>The oldest block this history answers (<see cref="ulong.MaxValue"/> when it has no version).</summary>
    public ulong From => _versions.Count == 0 ? ulong.MaxValue : _versions[0].Block;

    /// <summary>The newest version, if any.</summary>
    public T? Latest => _versions.Count == 0 ? null : _versions[^1].Value;

    /// <summary>Records the view as it stands at the end of <paramref name="block"/> (replacing an earlier version of the same block).</summary>
    public void Record(ulong block, T value)
    {
        if (_versions.Count > 0 && _versions[^1].Block >= block)
        {
            // Changes in one block (or, after a reactivation, a block not after the stored one) amend its version.
            _versions[^1] = (Math.Max(block, _versions[^1].Block), value);
            return;
        }
        _versions.Add((block, value));
        ulong newest = block;
        int drop = 0;
        while (drop + 1 < _versions.Count && SatAdd(_versions[drop + 1].Block, retention) <= newest) drop++;
        if (drop > 0) _versions.RemoveRange(0, drop);
    }

    /// <summary>The version in force at the end of <paramref name="block"/>, or null when that block is older than <see cref="From"/>.</summary>
    public T? At(ulong block)
    {
        int lo = 0, hi = _versions.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_versions[mid].Block <= block) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? null : _versions[found].Value;
    }

    /// <summary>Forgets every version (a change whose block is unknown makes them unsafe to answer from).</summary>
    public void Clear() => _versions.Clear();

    /// <summary>Versions kept now.</summary>
    public int Count => _versions.Count;

    private static ulong SatAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
