using System.Buffers;
using Bittensor.Consensus.Exact;
using Bittensor.Consensus.Fixed;

namespace Bittensor.Consensus.Fast;

/// <summary>
/// The epoch in dense single-precision arithmetic, column-major over the rows that matter (validators with a
/// permit and holders of bonds), fused so that each column of weights and bonds is visited in three passes that
/// stay in cache: (1) row-normalize and consensus, (2) clip, trust, ranks and the bond EMA, (3) dividends and
/// the stored bonds. <c>simd</c> picks <see cref="System.Numerics.Tensors.TensorPrimitives"/> (Fast) or scalar
/// loops (Naive). The O(n) prelude (stake, permits, active stake) is shared with Exact and bit-exact.
/// </summary>
/// <remarks>
/// Differences from the chain that stay within the documented tolerances: float rounding; duplicate columns in a
/// row are not summed (set_weights rejects them); the liquid-alpha peek walk is read as if rows were sorted by
/// column; stored bonds keep only non-zero u16 cells.
/// </remarks>
internal static class DenseEpoch
{
    public static EpochResult Run(EpochParameters p, EpochInput x, bool simd)
    {
        var ops = new VectorOps(simd);
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
            return Compute(p, x, pre, ops, rows, rowOf, voters, w, b, scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(w);
            ArrayPool<float>.Shared.Return(b);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static EpochResult Compute(EpochParameters p, EpochInput x, EpochPrelude pre, VectorOps ops,
        List<int> rows, int[] rowOf, int voters, float[] wm, float[] bm, float[] scratch)
    {
        int n = x.N, v = rows.Count;
        Span<float> weights = wm.AsSpan(0, v * n);
        Span<float> bonds = bm.AsSpan(0, v * n);
        weights.Clear();
        bonds.Clear();

        // Scatter the stored rows into column-major matrices, applying the permit, diagonal, outdated, commit-reveal
        // and recently-registered masks. A stored zero weight is kept as −0 so that "present" survives (liquid alpha).
        var invRow = new float[v];
        var a = new float[v];
        for (int r = 0; r < v; r++)
        {
            int i = rows[r];
            a[r] = (float)I32F32.ToDouble(pre.ActiveStake[i]);
            double rowSum = 0;
            if (pre.PermitOld[i])
            {
                var cols = x.Weights.RowColumns(i);
                var vals = x.Weights.RowValues(i);
                ulong commit = p.CommitReveal && x.CommitBlocks is { } cb ? cb[i] : ulong.MaxValue;
                for (int k = 0; k < cols.Length; k++)
                {
                    int j = cols[k];
                    if (j >= n || (j == i && i != (p.OwnerUid ?? -1))) continue;
                    if (pre.LastUpdate[i] <= x.BlockAtRegistration[j]) continue;
                    if (p.CommitReveal && commit < x.BlockAtRegistration[j]) continue;
                    weights[j * v + r] = vals[k] == 0 ? -0f : vals[k];
                    rowSum += vals[k];
                }
            }
            invRow[r] = rowSum > 0 ? (float)(1.0 / rowSum) : 1f;
            var bcols = x.Bonds.RowColumns(i);
            var bvals = x.Bonds.RowValues(i);
            for (int k = 0; k < bcols.Length; k++)
            {
                int j = bcols[k];
                if (j >= n || pre.LastTempo <= x.BlockAtRegistration[j] || bvals[k] == 0) continue;
                bonds[j * v + r] = p.Yuma3 ? (float)I32F32.ToDouble(I32F32.FromU16Proportion(bvals[k])) : bvals[k];
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
            ops.Multiply(col, invRow, col);
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
            float c = consensus[j];
            ops.Min(col, c, clipped);
            ops.Add(trust, clipped, trust);
            ranks[j] = ops.Dot(a, clipped);

            ReadOnlySpan<float> wb;
            if (penalty == 0) wb = col;
            else if (penalty == 1) wb = clipped;
            else
            {
                ops.Blend(col, (float)(1 - penalty), clipped, (float)penalty, bondWeights);
                ops.KeepPositive(bondWeights, bondWeights);
                wb = bondWeights;
            }

            if (!p.Yuma3)
            {
                float bs = ops.Sum(bcol);
                if (bs != 0) ops.Multiply(bcol, 1f / bs, bcol);
                ops.Multiply(wb, a, delta);
                float ds = ops.Sum(delta);
                if (ds != 0) ops.Multiply(delta, 1f / ds, delta);
                ops.Blend(delta, emaAlpha, bcol, 1f - emaAlpha, bcol);
                float es = ops.Sum(bcol);
                if (es != 0) ops.Multiply(bcol, 1f / es, bcol);
                float max = ops.Max(bcol);
                colScale[j] = max > 0 ? 1f / max : 0f;
            }
            else
            {
                if (sigmoid is not null) sigmoid.Ema(c, wb, bcol);
                else ops.Blend(wb, emaAlpha, bcol, 1f - emaAlpha, bcol);
                float s = ops.Sum(bcol);
                colScale[j] = s > 0 ? 1f / s : 0f;
            }
        }
        double rankSum = 0;
        foreach (double r in ranks) rankSum += r;
        var incentive = new double[n];
        for (int j = 0; j < n; j++) incentive[j] = rankSum != 0 ? ranks[j] / rankSum : ranks[j];

        // Pass 3: dividends and the bonds to store (u16, row-major for the output).
        var dividendRows = new float[v];
        var stored = new ushort[(long)v * n];
        for (int j = 0; j < n; j++)
        {
            Span<float> bcol = bonds.Slice(j * v, v);
            float scale = colScale[j];
            if (!p.Yuma3)
            {
                ops.MultiplyAdd(bcol, (float)incentive[j], dividendRows, dividendRows);
                for (int r = 0; r < v; r++) stored[(long)r * n + j] = ToU16(bcol[r] * scale);
            }
            else
            {
                if (scale != 0) ops.MultiplyAdd(bcol, (float)(incentive[j] * scale), dividendRows, dividendRows);
                for (int r = 0; r < v; r++) stored[(long)r * n + j] = ToU16(bcol[r]);
            }
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

        var bondsOut = new SparseMatrix.Builder(n);
        for (int i = 0; i < n; i++)
        {
            int r = rowOf[i];
            if (r >= 0 && pre.PermitNew[i])
            {
                var row = stored.AsSpan((int)((long)r * n), n);
                for (int j = 0; j < n; j++) if (row[j] != 0) bondsOut.Add((ushort)j, row[j]);
            }
            bondsOut.EndRow();
        }

        var validatorTrust = new double[n];
        for (int r = 0; r < v; r++) validatorTrust[rows[r]] = trust[r];
        return Emission(p, x, pre, incentive, dividends, consensus, validatorTrust, bondsOut.Build());
    }

    /// <summary>The emission split of spec §3.8 in double precision.</summary>
    private static EpochResult Emission(EpochParameters p, EpochInput x, EpochPrelude pre, double[] incentive,
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
    /// Stake-weighted median of one column: the smallest score w with stake(score ≤ w) &gt; minority (the value the
    /// chain's quick-select returns), by an in-place three-way quick-select on copies.
    /// </summary>
    internal static float WeightedMedian(ReadOnlySpan<float> score, ReadOnlySpan<float> stake, double minority, double hi,
        Span<float> s, Span<float> u)
    {
        int m = score.Length;
        score.CopyTo(s);
        stake.CopyTo(u);
        double lo = 0;
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
