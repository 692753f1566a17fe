using System.Buffers;
using Bittensor.Consensus.Exact;
using Bittensor.Consensus.Fixed;

namespace Bittensor.Consensus.Fast;

/// <summary>
/// The epoch in dense single-precision arithmetic, column-major over the rows that matter (validators with a
/// permit and holders of bonds), fused so that each column of weights and bonds is visited in three passes that
/// stay in cache: (1) row-normalize and consensus, (2) clip, trust, ranks and the bond EMA, (3) dividends and
/// the stored bonds, with <see cref="System.Numerics.Tensors.TensorPrimitives"/> for the span arithmetic. The O(n)
/// prelude (stake, permits, active stake) is shared with Exact and bit-exact.
/// </summary>
/// <remarks>
/// Differences from the chain that stay within the documented tolerances: float rounding; duplicate columns in a
/// row are not summed (set_weights rejects them); the liquid-alpha peek walk is read as if rows were sorted by
/// column; stored bonds keep only non-zero u16 cells.
/// </remarks>
internal static class DenseEpoch
{
    public static EpochResult Run(EpochParameters p, EpochInput x)
    {
        int n = x.N;
        var pre = EpochPrelude.Compute(p, x);

        // Rows that matter: positive active stake first (they vote in the median), then other permit or bond holders.
        var rowOf = new int[n];
        Array.Fill(rowOf, -1);
        var rows = new List<int>();
        for (int i = 0; i < n; i++) if (pre.ActiveStake[i] > 0) { rowOf[i] = rows.Count; rows.Add(i); }
        int voters = rows.Count;
        for (int i = 0; i < n; i++)
            if (rowOf[i] < 0 && (pre.PermitOld[i] || HasBonds(x, i, n, pre.LastTempo))) { rowOf[i] = rows.Count; rows.Add(i); }
        int v = rows.Count;

        float[] w = ArrayPool<float>.Shared.Rent(Math.Max(1, v * n));
        float[] b = ArrayPool<float>.Shared.Rent(Math.Max(1, v * n));
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(1, 5 * v));
        try
        {
            return Compute(p, x, pre, rows, rowOf, voters, w, b, scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(w);
            ArrayPool<float>.Shared.Return(b);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static EpochResult Compute(EpochParameters p, EpochInput x, EpochPrelude pre,
        List<int> rows, int[] rowOf, int voters, float[] wm, float[] bm, float[] scratch)
    {
        int n = x.N, v = rows.Count;
        Span<float> weights = wm.AsSpan(0, v * n);
        Span<float> bonds = bm.AsSpan(0, v * n);
        int owner = p.OwnerUid ?? -1;

        // Scatter the stored rows into column-major matrices, applying the permit, diagonal, outdated, commit-reveal
        // and recently-registered masks. A stored zero weight is kept as −0 so that "present" survives (liquid alpha).
        // Rows are scattered Tile at a time into a row-major tile that is then transposed, so every write to the
        // column-major matrices fills whole cache lines.
        var invRow = new float[v];
        var a = new float[v];
        var tileW = new float[Tile * n];
        var tileB = new float[Tile * n];
        ulong maxRegistration = 0;
        foreach (ulong reg in x.BlockAtRegistration) maxRegistration = Math.Max(maxRegistration, reg);
        bool bondMasks = pre.LastTempo <= maxRegistration;
        float[] bondTable = p.Yuma3 ? ProportionTable.Values : CountTable.Values;
        for (int r0 = 0; r0 < v; r0 += Tile)
        {
            int rt = Math.Min(Tile, v - r0);
            tileW.AsSpan(0, rt * n).Clear();
            tileB.AsSpan(0, rt * n).Clear();
            for (int t = 0; t < rt; t++)
            {
                int r = r0 + t, i = rows[r];
                a[r] = (float)I32F32.ToDouble(pre.ActiveStake[i]);
                double rowSum = 0;
                Span<float> tw = tileW.AsSpan(t * n, n);
                if (pre.PermitOld[i])
                {
                    var cols = x.Weights.RowColumns(i);
                    var vals = x.Weights.RowValues(i);
                    ulong commit = p.CommitReveal && x.CommitBlocks is { } cb ? cb[i] : ulong.MaxValue;
                    ulong updated = pre.LastUpdate[i];
                    bool masks = updated <= maxRegistration || (p.CommitReveal && commit < maxRegistration);
                    long sum = 0;
                    for (int k = 0; k < cols.Length; k++)
                    {
                        int j = cols[k];
                        if (j >= n) continue;
                        if (masks)
                        {
                            ulong reg = x.BlockAtRegistration[j];
                            if (updated <= reg || (p.CommitReveal && commit < reg)) continue;
                        }
                        int w = vals[k];
                        tw[j] = w == 0 ? -0f : w;
                        sum += w;
                    }
                    if (i != owner && (tw[i] != 0 || float.IsNegative(tw[i])))
                    {
                        sum -= (long)tw[i]; // the diagonal is masked except for the owner
                        tw[i] = 0;
                    }
                    rowSum = sum;
                }
                invRow[r] = rowSum > 0 ? (float)(1.0 / rowSum) : 1f;
                var bcols = x.Bonds.RowColumns(i);
                var bvals = x.Bonds.RowValues(i);
                Span<float> tb = tileB.AsSpan(t * n, n);
                for (int k = 0; k < bcols.Length; k++)
                {
                    int j = bcols[k];
                    if (j >= n || (bondMasks && pre.LastTempo <= x.BlockAtRegistration[j])) continue;
                    tb[j] = bondTable[bvals[k]];
                }
            }
            for (int j = 0; j < n; j++)
            {
                int dst = j * v + r0;
                for (int t = 0; t < rt; t++)
                {
                    weights[dst + t] = tileW[t * n + j];
                    bonds[dst + t] = tileB[t * n + j];
                }
            }
        }

        Span<float> clipped = scratch.AsSpan(0, v);
        Span<float> bondWeights = scratch.AsSpan(v, v);
        Span<float> delta = scratch.AsSpan(2 * v, v);
        Span<float> medianScores = scratch.AsSpan(3 * v, v);
        Span<float> medianStake = scratch.AsSpan(4 * v, v);
        ReadOnlySpan<float> voterStake = a.AsSpan(0, voters);
        double stakeSum = 0;
        foreach (float s in voterStake) stakeSum += s;
        double kappa = I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.Kappa), I32F32.U16Max));
        double minority = stakeSum - kappa;

        // Pass 1: row-normalize each column and find its stake-weighted median.
        var consensus = new float[n];
        for (int j = 0; j < n; j++)
        {
            Span<float> col = weights.Slice(j * v, v);
            VectorOps.Multiply(col, invRow, col);
            consensus[j] = voters == 0 ? 0f : WeightedMedian(col[..voters], voterStake, minority, stakeSum, medianScores, medianStake);
        }

        bool liquid = p.Yuma3 && p.LiquidAlpha && Array.Exists(consensus, c => c != 0);
        double penalty = I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.BondsPenalty), I32F32.U16Max));
        float emaAlpha = (float)I32F32.ToDouble(ExactEpoch.DisabledLiquidAlpha(p.BondsMovingAverage));
        var sigmoid = liquid ? new LiquidAlpha(p) : null;

        // Pass 2: clip, validator trust, ranks, bond weights and the bond EMA (column by column).
        var trust = new float[v];
        var ranks = new double[n];
        var colScale = new float[n];
        for (int j = 0; j < n; j++)
        {
            Span<float> col = weights.Slice(j * v, v);
            Span<float> bcol = bonds.Slice(j * v, v);
            // The chain's clip drops an entry with W > C when C ≤ 0. A median of stored zeros is −0, and
            // min(w, −0) = −0 would mark the entry present (liquid alpha would keep decaying its bond): clip at +0.
            float c = consensus[j] == 0 ? 0f : consensus[j];
            VectorOps.Min(col, c, clipped);
            VectorOps.Add(trust, clipped, trust);
            ranks[j] = VectorOps.Dot(a, clipped);

            ReadOnlySpan<float> wb;
            if (penalty == 0) wb = col;
            else if (penalty == 1) wb = clipped;
            else
            {
                VectorOps.Blend(col, (float)(1 - penalty), clipped, (float)penalty, bondWeights);
                VectorOps.KeepPositive(bondWeights, bondWeights);
                wb = bondWeights;
            }

            if (!p.Yuma3)
            {
                float bs = VectorOps.Sum(bcol);
                if (bs != 0) VectorOps.Multiply(bcol, 1f / bs, bcol);
                VectorOps.Multiply(wb, a, delta);
                float ds = VectorOps.Sum(delta);
                if (ds != 0) VectorOps.Multiply(delta, 1f / ds, delta);
                VectorOps.Blend(delta, emaAlpha, bcol, 1f - emaAlpha, bcol);
                float es = VectorOps.Sum(bcol);
                if (es != 0) VectorOps.Multiply(bcol, 1f / es, bcol);
                float max = VectorOps.Max(bcol);
                colScale[j] = max > 0 ? 1f / max : 0f;
            }
            else
            {
                if (sigmoid is not null) sigmoid.Ema(c, wb, bcol);
                else VectorOps.Blend(wb, emaAlpha, bcol, 1f - emaAlpha, bcol);
                float s = VectorOps.Sum(bcol);
                colScale[j] = s > 0 ? 1f / s : 0f;
            }
        }
        double rankSum = 0;
        foreach (double r in ranks) rankSum += r;
        var incentive = new double[n];
        for (int j = 0; j < n; j++) incentive[j] = rankSum != 0 ? ranks[j] / rankSum : ranks[j];

        // Pass 3: dividends, and each bond column scaled to what is stored (classic: max-upscaled; Yuma 3: as is).
        var dividendRows = new float[v];
        for (int j = 0; j < n; j++)
        {
            Span<float> bcol = bonds.Slice(j * v, v);
            float scale = colScale[j];
            if (!p.Yuma3)
            {
                VectorOps.MultiplyAdd(bcol, (float)incentive[j], dividendRows, dividendRows);
                VectorOps.Multiply(bcol, scale, bcol);
            }
            else if (scale != 0) VectorOps.MultiplyAdd(bcol, (float)(incentive[j] * scale), dividendRows, dividendRows);
        }
        var dividends = new double[n];
        double dividendSum = 0;
        for (int r = 0; r < v; r++)
        {
            double d = p.Yuma3 ? (double)dividendRows[r] * a[r] : dividendRows[r];
            dividends[rows[r]] = d;
            dividendSum += d;
        }
        if (dividendSum != 0) for (int i = 0; i < n; i++) dividends[i] /= dividendSum;

        SparseMatrix storedBonds = StoredBonds(pre, rows, rowOf, bonds, n, tileB);
        var validatorTrust = new double[n];
        for (int r = 0; r < v; r++) validatorTrust[rows[r]] = trust[r];
        return Emission(p, x, pre, incentive, dividends, consensus, validatorTrust, storedBonds);
    }

    /// <summary>The emission split of spec §3.8 in double precision.</summary>
    internal static EpochResult Emission(EpochParameters p, EpochInput x, EpochPrelude pre, double[] incentive,
        double[] dividends, float[] consensus, double[] validatorTrust, SparseMatrix bonds)
    {
        int n = x.N;
        var server = new double[n];
        var validator = new double[n];
        var combined = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) sum += incentive[i] + dividends[i];
        if (sum != 0)
        {
            for (int i = 0; i < n; i++)
            {
                server[i] = incentive[i] / sum;
                validator[i] = dividends[i] / sum;
                combined[i] = (incentive[i] + dividends[i]) / sum;
            }
        }
        else
        {
            long[] fallback = pre.ActiveStake.All(s => s == 0) ? pre.Stake : pre.ActiveStake;
            for (int i = 0; i < n; i++) validator[i] = combined[i] = I32F32.ToDouble(fallback[i]);
        }
        return new EpochResult
        {
            StakeWeight = pre.Stake.Select(I32F32.ToU16Proportion).ToArray(),
            Active = pre.Active,
            Consensus = consensus.Select(c => ToU16(c)).ToArray(),
            Incentive = incentive.Select(ToU16).ToArray(),
            Dividends = dividends.Select(ToU16).ToArray(),
            ValidatorTrust = validatorTrust.Select(ToU16).ToArray(),
            ValidatorPermit = pre.PermitNew,
            ServerEmission = ToRao(server, p.RaoEmission),
            ValidatorEmission = ToRao(validator, p.RaoEmission),
            Emission = ToRao(combined, p.RaoEmission),
            Bonds = bonds,
        };
    }

    /// <summary>
    /// The bonds to store, u16 per cell, rows of new permit holders only, non-zero cells in column order. The
    /// column-major matrix is read Tile rows at a time so that each read is a whole cache line.
    /// </summary>
    private static SparseMatrix StoredBonds(EpochPrelude pre, List<int> rows, int[] rowOf, ReadOnlySpan<float> bonds, int n, float[] tile)
    {
        int v = rows.Count;
        ushort[] colsBuf = ArrayPool<ushort>.Shared.Rent(Math.Max(1, v * n));
        ushort[] valsBuf = ArrayPool<ushort>.Shared.Rent(Math.Max(1, v * n));
        try
        {
            // Compact non-zero u16 cells of each permit holder's row at offset r·n.
            var nonZero = new int[v];
            int total = 0;
            for (int r0 = 0; r0 < v; r0 += Tile)
            {
                int rt = Math.Min(Tile, v - r0);
                for (int j = 0; j < n; j++)
                {
                    int src = j * v + r0;
                    for (int t = 0; t < rt; t++) tile[t * n + j] = bonds[src + t];
                }
                for (int t = 0; t < rt; t++)
                {
                    int r = r0 + t;
                    if (!pre.PermitNew[rows[r]]) continue;
                    ReadOnlySpan<float> row = tile.AsSpan(t * n, n);
                    Span<ushort> oc = colsBuf.AsSpan(r * n, n);
                    Span<ushort> ov = valsBuf.AsSpan(r * n, n);
                    int count = 0;
                    for (int j = 0; j < n; j++)
                    {
                        float scaled = row[j] * 65535f;
                        if (!(scaled >= 1f)) continue;
                        oc[count] = (ushort)j;
                        ov[count++] = scaled >= 65535f ? ushort.MaxValue : (ushort)scaled;
                    }
                    nonZero[r] = count;
                    total += count;
                }
            }
            var starts = new int[n + 1];
            var columns = GC.AllocateUninitializedArray<ushort>(total);
            var values = GC.AllocateUninitializedArray<ushort>(total);
            int pos = 0;
            for (int i = 0; i < n; i++)
            {
                starts[i] = pos;
                int r = rowOf[i];
                if (r < 0 || nonZero[r] == 0) continue;
                Array.Copy(colsBuf, r * n, columns, pos, nonZero[r]);
                Array.Copy(valsBuf, r * n, values, pos, nonZero[r]);
                pos += nonZero[r];
            }
            starts[n] = pos;
            return SparseMatrix.FromArrays(starts, columns, values);
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(colsBuf);
            ArrayPool<ushort>.Shared.Return(valsBuf);
        }
    }

    /// <summary>u16 → the I32F32 proportion v/65535 as float (Yuma 3 bonds).</summary>
    private static class ProportionTable
    {
        public static readonly float[] Values = Enumerable.Range(0, 65536).Select(v => (float)I32F32.ToDouble(I32F32.FromU16Proportion((ushort)v))).ToArray();
    }

    /// <summary>u16 → float (classic bonds are stored column-max-upscaled integers).</summary>
    private static class CountTable
    {
        public static readonly float[] Values = Enumerable.Range(0, 65536).Select(v => (float)v).ToArray();
    }

    /// <summary>Buckets of the weighted-median histogram.</summary>
    private const int Buckets = 64;

    /// <summary>Rows per tile in the scatter and output transposes (16 floats = one 64-byte cache line).</summary>
    private const int Tile = 16;

    /// <summary>
    /// Stake-weighted median of one column: the smallest score w with stake(score ≤ w) &gt; minority — the value the
    /// chain's quick-select returns — or the largest score when no score qualifies. A stake histogram over the
    /// column's [min, max] finds the bucket where the cumulative stake crosses the minority; only that bucket's
    /// entries are quick-selected.
    /// </summary>
    internal static float WeightedMedian(ReadOnlySpan<float> score, ReadOnlySpan<float> stake, double minority, double hi,
        Span<float> s, Span<float> u)
    {
        int m = score.Length;
        if (m == 0) return 0;
        float min = VectorOps.MinValue(score), max = VectorOps.Max(score);
        if (!(max > min)) return max;
        Span<double> hist = stackalloc double[Buckets];
        hist.Clear();
        float scale = Buckets / (max - min);
        for (int r = 0; r < m; r++) hist[Bucket(score[r], min, scale)] += stake[r];
        double below = 0;
        int crossing = -1;
        for (int b = 0; b < Buckets; b++)
        {
            if (below + hist[b] > minority) { crossing = b; break; }
            below += hist[b];
        }
        if (crossing < 0) return max;
        int count = 0;
        for (int r = 0; r < m; r++)
        {
            if (Bucket(score[r], min, scale) != crossing) continue;
            s[count] = score[r];
            u[count++] = stake[r];
        }
        return QuickSelect(s[..count], u[..count], minority, below, below + hist[crossing]);
    }

    private static int Bucket(float score, float min, float scale)
    {
        int b = (int)((score - min) * scale);
        return b >= Buckets ? Buckets - 1 : b < 0 ? 0 : b;
    }

    /// <summary>The chain's weighted quick-select (three-way, in place) on a partition spanning stake [lo, hi].</summary>
    private static float QuickSelect(Span<float> s, Span<float> u, double minority, double lo, double hi)
    {
        int m = s.Length;
        while (true)
        {
            if (m == 0) return 0;
            if (m == 1) return s[0];
            float pivot = s[m / 2];
            int lt = 0, i = 0, gt = m;
            double below = 0, above = 0;
            while (i < gt)
            {
                float e = s[i];
                if (e < pivot)
                {
                    (s[i], s[lt]) = (s[lt], e);
                    (u[i], u[lt]) = (u[lt], u[i]);
                    below += u[lt];
                    lt++;
                    i++;
                }
                else if (e > pivot)
                {
                    gt--;
                    (s[i], s[gt]) = (s[gt], e);
                    (u[i], u[gt]) = (u[gt], u[i]);
                    above += u[gt];
                }
                else i++;
            }
            double loEdge = lo + below, hiEdge = hi - above;
            if (loEdge <= minority && minority < hiEdge) return pivot;
            if (minority < loEdge && lt > 0)
            {
                m = lt;
                hi = loEdge;
            }
            else if (hiEdge <= minority && gt < m)
            {
                int count = m - gt;
                s.Slice(gt, count).CopyTo(s);
                u.Slice(gt, count).CopyTo(u);
                m = count;
                lo = hiEdge;
            }
            else return pivot;
        }
    }

    private static bool HasBonds(EpochInput x, int i, int n, ulong lastTempo)
    {
        var cols = x.Bonds.RowColumns(i);
        var vals = x.Bonds.RowValues(i);
        for (int k = 0; k < cols.Length; k++)
            if (cols[k] < n && vals[k] != 0 && lastTempo > x.BlockAtRegistration[cols[k]]) return true;
        return false;
    }

    private static ushort ToU16(double x)
    {
        double f = Math.Floor(x * 65535.0);
        return f <= 0 || double.IsNaN(f) ? (ushort)0 : f >= 65535 ? ushort.MaxValue : (ushort)f;
    }

    private static ulong[] ToRao(double[] share, ulong rao)
    {
        var r = new ulong[share.Length];
        for (int i = 0; i < share.Length; i++)
        {
            double e = Math.Floor(share[i] * rao);
            r[i] = e <= 0 || double.IsNaN(e) ? 0 : e >= ulong.MaxValue ? ulong.MaxValue : (ulong)e;
        }
        return r;
    }

    /// <summary>The liquid-alpha EMA for one column (Yuma 3): per-entry sigmoid α, entries absent from W^b dropped.</summary>
    private sealed class LiquidAlpha(EpochParameters p)
    {
        private readonly double _low = I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.AlphaLow), I32F32.U16Max));
        private readonly double _high = I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.AlphaHigh), I32F32.U16Max));
        private readonly double _slope = p.AlphaSigmoidSteepness / -100.0;

        public void Ema(float consensus, ReadOnlySpan<float> w, Span<float> b)
        {
            for (int r = 0; r < w.Length; r++)
            {
                float wr = w[r];
                bool present = wr > 0 || (wr == 0 && float.IsNegative(wr));
                if (!present) { b[r] = 0; continue; }
                double bond = b[r];
                double diff = wr >= bond ? Math.Clamp(wr - consensus, 0, 1) : Math.Clamp(bond - wr, 0, 1);
                double z = Math.Clamp(_slope * (diff - 0.5), -20, 20);
                double alpha = Math.Clamp(_low + (_high - _low) / (1 + Math.Exp(z)), _low, _high);
                b[r] = (float)Math.Min(1, (1 - alpha) * bond + Math.Max(0, alpha * wr));
            }
        }
    }
}
