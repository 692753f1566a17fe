namespace Bittensor.Consensus;

/// <summary>Shared, arithmetic-independent pieces of the epoch: padding, top-k permits and the peek walk.</summary>
internal static class EpochMasks
{
    /// <summary><c>get_last_update</c>: the stored vector padded with 0 (or cut) to <paramref name="n"/>.</summary>
    public static ulong[] PadLastUpdate(ulong[] lastUpdate, int n)
    {
        var r = new ulong[n];
        Array.Copy(lastUpdate, r, Math.Min(n, lastUpdate.Length));
        return r;
    }

    /// <summary>
    /// <c>is_topk_nonzero</c>: true where the stake is non-zero, then if n ≥ k the n − k lowest stakes (stable
    /// ascending sort, so among equal stakes the lower UID loses) are cleared.
    /// </summary>
    public static bool[] TopKNonZero(long[] stake, int k)
    {
        int n = stake.Length;
        var result = new bool[n];
        for (int i = 0; i < n; i++) result[i] = stake[i] != 0;
        if (n < k) return result;
        var idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        // Stable: order by stake, then by index.
        Array.Sort(idx, (a, b) => stake[a] != stake[b] ? stake[a].CompareTo(stake[b]) : a.CompareTo(b));
        for (int t = 0; t < n - k; t++) result[idx[t]] = false;
        return result;
    }

    /// <summary>
    /// The values the chain's forward "peek" walk reads for columns 0..n−1 of one sparse row
    /// (<c>compute_liquid_alpha_values_sparse</c>): it assumes the row is sorted by column, so in an unsorted row
    /// some entries are never seen and read as 0.
    /// </summary>
    public static void PeekVisible<T>(ReadOnlySpan<int> cols, ReadOnlySpan<T> vals, int count, Span<T> visible)
    {
        int p = 0;
        for (int j = 0; j < visible.Length; j++)
        {
            while (p < count && cols[p] < j) p++;
            visible[j] = p < count && cols[p] == j ? vals[p] : default!;
        }
    }

    /// <inheritdoc cref="PeekVisible{T}(ReadOnlySpan{int}, ReadOnlySpan{T}, int, Span{T})"/>
    public static void PeekVisible<T>(int[] cols, T[] vals, int count, T[] visible) =>
        PeekVisible<T>(cols.AsSpan(), vals.AsSpan(), count, visible.AsSpan());
}
