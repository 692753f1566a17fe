namespace Bittensor.Workers;

/// <summary>
/// The <c>weight-copier</c> validator's strategy: copy the stored (public) weight row of the validator with the most
/// stake. On a commit-reveal subnet the stored rows are the revealed ones, a reveal period old, so the copy is stale.
/// </summary>
public static class WeightCopier
{
    /// <summary>
    /// The row to copy: that of the hotkey other than <paramref name="self"/> with the most stake (first in UID order on a
    /// tie) among those with a stored row; empty when nobody has one.
    /// </summary>
    public static List<(ushort Uid, ushort Weight)> Copy(IEnumerable<(string Hotkey, ulong Stake)> neurons, IReadOnlyList<WeightRow> rows, string self)
    {
        var largest = neurons.Where(n => n.Hotkey != self && rows.Any(r => r.Hotkey == n.Hotkey))
            .OrderByDescending(n => n.Stake).Select(n => n.Hotkey).FirstOrDefault();
        if (largest is null) return [];
        var row = rows.First(r => r.Hotkey == largest);
        return [.. row.Uids.Zip(row.Weights)];
    }
}
