using Bittensor.Consensus.Fixed;

namespace Bittensor.Consensus.Exact;

/// <summary>
/// The sparse epoch (<c>epoch_mechanism</c>, spec §3) in bit-exact fixed-point arithmetic. Every matrix is a
/// list of rows of (column, I32F32 bits) kept in the order the chain keeps them.
/// </summary>
internal static class ExactEpoch
{
    public static EpochResult Run(EpochParameters p, EpochInput x)
    {
        int n = x.N;
        int owner = p.OwnerUid ?? -1;

        // 3.1–3.4 Activity, stake, permits, active stake.
        var pre = EpochPrelude.Compute(p, x);
        ulong[] lastUpdate = pre.LastUpdate;
        bool[] active = pre.Active;
        long[] stake = pre.Stake;
        bool[] permitOld = pre.PermitOld;
        bool[] permitNew = pre.PermitNew;
        long[] activeStake = pre.ActiveStake;

        // 3.5 Weights: permit rows, diagonal (owner kept), outdated, commit-reveal; then row-normalize.
        var weights = new Row[n];
        for (int i = 0; i < n; i++)
        {
            var row = new Row();
            if (permitOld[i])
            {
                var cols = x.Weights.RowColumns(i);
                var vals = x.Weights.RowValues(i);
                ulong commit = p.CommitReveal && x.CommitBlocks is { } cb ? cb[i] : ulong.MaxValue;
                for (int k = 0; k < cols.Length; k++)
                {
                    int j = cols[k];
                    if (j >= n) continue;
                    if (j == i && i != owner) continue;
                    if (lastUpdate[i] <= x.BlockAtRegistration[j]) continue;
                    if (p.CommitReveal && commit < x.BlockAtRegistration[j]) continue;
                    row.Add(j, (long)vals[k] << I32F32.FracBits);
                }
            }
            weights[i] = row;
        }
        foreach (var row in weights)
        {
            long sum = row.Sum();
            if (sum > 0) row.DivideAll(sum);
        }

        // 3.6 Consensus, clipping, validator trust, incentive.
        long kappa = I32F32.SafeDiv(I32F32.FromInt(p.Kappa), I32F32.U16Max);
        long[] consensus = WeightedMedianColSparse(activeStake, weights, n, kappa);
        Row[] clipped = ColClip(weights, consensus);
        var validatorTrust = new long[n];
        for (int i = 0; i < n; i++) validatorTrust[i] = clipped[i].Sum();
        var ranks = new long[n];
        for (int i = 0; i < n; i++)
        {
            var row = clipped[i];
            for (int k = 0; k < row.Count; k++)
                ranks[row.Cols[k]] = I32F32.SatAdd(ranks[row.Cols[k]], I32F32.SatMul(activeStake[i], row.Vals[k]));
        }
        Normalize(ranks);
        long[] incentive = ranks;

        // 3.7 Bonds and dividends.
        long penalty = I32F32.SafeDiv(I32F32.FromInt(p.BondsPenalty), I32F32.U16Max);
        Row[] bondWeights = Interpolate(weights, clipped, n, penalty);
        ulong lastTempo = pre.LastTempo;
        long emaAlpha = DisabledLiquidAlpha(p.BondsMovingAverage);

        long[] dividends;
        Row[] emaBonds;
        if (p.Yuma3)
        {
            Row[] bonds = ReadBonds(x, n, lastTempo, v => I32F32.FromU16Proportion(v));
            bool liquid = p.LiquidAlpha && consensus.Any(c => c != 0);
            emaBonds = liquid
                ? MatEmaAlphaSparse(bondWeights, bonds, consensus, p, n)
                : MatEmaSparse(bondWeights, bonds, emaAlpha, n);
            Row[] norm = emaBonds.Select(r => r.Clone()).ToArray();
            ColNormalize(norm, n);
            var total = new long[n];
            for (int i = 0; i < n; i++)
            {
                long t = 0;
                var row = norm[i];
                for (int k = 0; k < row.Count; k++)
                {
                    long prod = I32F32.SatMul(row.Vals[k], incentive[row.Cols[k]]);
                    if (prod != 0) t += prod;
                }
                total[i] = t;
            }
            dividends = new long[n];
            for (int i = 0; i < n; i++) dividends[i] = I32F32.CheckedMul(total[i], activeStake[i]) ?? 0;
            Normalize(dividends);
        }
        else
        {
            Row[] bonds = ReadBonds(x, n, lastTempo, v => (long)v << I32F32.FracBits);
            ColNormalize(bonds, n);
            var delta = new Row[n];
            for (int i = 0; i < n; i++)
            {
                var src = bondWeights[i];
                var row = new Row(src.Count);
                for (int k = 0; k < src.Count; k++) row.Add(src.Cols[k], I32F32.SatMul(src.Vals[k], activeStake[i]));
                delta[i] = row;
            }
            ColNormalize(delta, n);
            emaBonds = MatEmaSparse(delta, bonds, emaAlpha, n);
            ColNormalize(emaBonds, n);
            dividends = new long[n];
            for (int i = 0; i < n; i++)
            {
                var row = emaBonds[i];
                long d = 0;
                for (int k = 0; k < row.Count; k++) d = I32F32.SatAdd(d, I32F32.SatMul(incentive[row.Cols[k]], row.Vals[k]));
                dividends[i] = d;
            }
            Normalize(dividends);
            ColMaxUpscale(emaBonds, n);
        }

        // 3.8 Emission split.
        var combined = new long[n];
        long emissionSum = 0;
        for (int i = 0; i < n; i++)
        {
            combined[i] = I32F32.SatAdd(incentive[i], dividends[i]);
            emissionSum += combined[i];
        }
        long[] server = (long[])incentive.Clone();
        long[] validator = (long[])dividends.Clone();
        if (emissionSum != 0)
        {
            for (int i = 0; i < n; i++)
            {
                server[i] = I32F32.SafeDiv(server[i], emissionSum);
                validator[i] = I32F32.SafeDiv(validator[i], emissionSum);
            }
        }
        Normalize(combined);
        if (emissionSum == 0)
        {
            long[] fallback = activeStake.Sum() == 0 ? stake : activeStake;
            validator = (long[])fallback.Clone();
            combined = (long[])fallback.Clone();
        }

        // Stored bonds: the new row for new permit holders, empty otherwise.
        var stored = new SparseMatrix.Builder(n);
        for (int i = 0; i < n; i++)
        {
            if (permitNew[i])
            {
                var row = emaBonds[i];
                for (int k = 0; k < row.Count; k++) stored.Add((ushort)row.Cols[k], I32F32.ToU16Proportion(row.Vals[k]));
            }
            stored.EndRow();
        }

        return new EpochResult
        {
            StakeWeight = ToU16(stake),
            Active = active,
            Consensus = ToU16(consensus),
            Incentive = ToU16(incentive),
            Dividends = ToU16(dividends),
            ValidatorTrust = ToU16(validatorTrust),
            ValidatorPermit = permitNew,
            ServerEmission = ToRao(server, p.RaoEmission),
            ValidatorEmission = ToRao(validator, p.RaoEmission),
            Emission = ToRao(combined, p.RaoEmission),
            Bonds = stored.Build(),
        };
    }

    /// <summary><c>compute_disabled_liquid_alpha</c>: 1 − I32F32(I64F64(BMA)/10^6) = 2^32 − floor(BMA·2^32/10^6).</summary>
    internal static long DisabledLiquidAlpha(ulong bondsMovingAverage)
    {
        UInt128 scaled = ((UInt128)bondsMovingAverage << 32) / 1_000_000;
        long bma = scaled > long.MaxValue ? long.MaxValue : (long)scaled;
        return I32F32.SatSub(I32F32.One, bma);
    }

    private static Row[] ReadBonds(EpochInput x, int n, ulong lastTempo, Func<ushort, long> convert)
    {
        var bonds = new Row[n];
        for (int i = 0; i < n; i++)
        {
            var row = new Row();
            var cols = x.Bonds.RowColumns(i);
            var vals = x.Bonds.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
            {
                int j = cols[k];
                if (j >= n) continue;
                if (lastTempo <= x.BlockAtRegistration[j]) continue; // bonds to recently (re)registered UIDs reset
                row.Add(j, convert(vals[k]));
            }
            bonds[i] = row;
        }
        return bonds;
    }

    private static void Normalize(long[] v) => FixedVector.Normalize(v);

    /// <summary><c>inplace_col_normalize_sparse</c>: column sums (saturating), zero-sum columns unchanged.</summary>
    internal static void ColNormalize(Row[] m, int n)
    {
        var colSum = new long[n];
        foreach (var row in m)
            for (int k = 0; k < row.Count; k++) colSum[row.Cols[k]] = I32F32.SatAdd(colSum[row.Cols[k]], row.Vals[k]);
        foreach (var row in m)
            for (int k = 0; k < row.Count; k++)
            {
                long s = colSum[row.Cols[k]];
                if (s != 0) row.Vals[k] = I32F32.SafeDiv(row.Vals[k], s);
            }
    }

    /// <summary><c>inplace_col_max_upscale_sparse</c>.</summary>
    private static void ColMaxUpscale(Row[] m, int n)
    {
        var colMax = new long[n];
        foreach (var row in m)
            for (int k = 0; k < row.Count; k++)
                if (colMax[row.Cols[k]] < row.Vals[k]) colMax[row.Cols[k]] = row.Vals[k];
        foreach (var row in m)
            for (int k = 0; k < row.Count; k++)
            {
                long mx = colMax[row.Cols[k]];
                if (mx != 0) row.Vals[k] = I32F32.SafeDiv(row.Vals[k], mx);
            }
    }

    /// <summary><c>col_clip_sparse</c>: min(W_ij, C_j); entries above a non-positive consensus are dropped.</summary>
    private static Row[] ColClip(Row[] w, long[] c)
    {
        var result = new Row[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            var src = w[i];
            var row = new Row(src.Count);
            for (int k = 0; k < src.Count; k++)
            {
                long t = c[src.Cols[k]];
                if (t < src.Vals[k])
                {
                    if (0 < t) row.Add(src.Cols[k], t);
                }
                else row.Add(src.Cols[k], src.Vals[k]);
            }
            result[i] = row;
        }
        return result;
    }

    /// <summary><c>interpolate_sparse</c>: ratio 0 → W, 1 → W̄ (both as stored), else dense W + r(W̄ − W) keeping &gt; 0.</summary>
    private static Row[] Interpolate(Row[] w, Row[] clipped, int n, long ratio)
    {
        if (ratio == 0) return w;
        if (ratio == I32F32.One) return clipped;
        var result = new Row[w.Length];
        var a = new long[n];
        var b = new long[n];
        for (int i = 0; i < w.Length; i++)
        {
            Array.Clear(a);
            Array.Clear(b);
            for (int k = 0; k < w[i].Count; k++) a[w[i].Cols[k]] = w[i].Vals[k];
            for (int k = 0; k < clipped[i].Count; k++) b[clipped[i].Cols[k]] = clipped[i].Vals[k];
            var row = new Row();
            for (int j = 0; j < n; j++)
            {
                long v = I32F32.SatAdd(a[j], I32F32.SatMul(ratio, I32F32.SatSub(b[j], a[j])));
                if (0 < v) row.Add(j, v);
            }
            result[i] = row;
        }
        return result;
    }

    /// <summary><c>mat_ema_sparse</c>: α·new + (1−α)·old over the union, dense per row, keeping &gt; 0, column order.</summary>
    private static Row[] MatEmaSparse(Row[] fresh, Row[] old, long alpha, int n)
    {
        long oneMinus = I32F32.SatSub(I32F32.One, alpha);
        var result = new Row[fresh.Length];
        var acc = new long[n];
        for (int i = 0; i < fresh.Length; i++)
        {
            Array.Clear(acc);
            var nr = fresh[i];
            for (int k = 0; k < nr.Count; k++) acc[nr.Cols[k]] = I32F32.SatAdd(acc[nr.Cols[k]], I32F32.SatMul(alpha, nr.Vals[k]));
            var or = old[i];
            for (int k = 0; k < or.Count; k++) acc[or.Cols[k]] = I32F32.SatAdd(acc[or.Cols[k]], I32F32.SatMul(oneMinus, or.Vals[k]));
            var row = new Row();
            for (int j = 0; j < n; j++) if (acc[j] > 0) row.Add(j, acc[j]);
            result[i] = row;
        }
        return result;
    }

    /// <summary>
    /// Liquid-alpha EMA (<c>compute_liquid_alpha_values_sparse</c> + <c>mat_ema_alpha_sparse</c>): for each entry present in
    /// the bond-weight row, B' = min(1, (1−α)·B + max(0, α·W)); bonds in columns absent from that row are dropped.
    /// α per column uses the W and B values the chain's forward peek walk sees.
    /// </summary>
    private static Row[] MatEmaAlphaSparse(Row[] w, Row[] b, long[] consensus, EpochParameters p, int n)
    {
        long low = I32F32.SafeDiv(I32F32.FromInt(p.AlphaLow), I32F32.U16Max);
        long high = I32F32.SafeDiv(I32F32.FromInt(p.AlphaHigh), I32F32.U16Max);
        long steepness = I32F32.FromInt(p.AlphaSigmoidSteepness);
        var result = new Row[w.Length];
        var wVisible = new long[n];
        var bVisible = new long[n];
        var decayed = new long[n];
        var alpha = new long[n];
        var alphaStamp = new int[n];
        for (int i = 0; i < w.Length; i++)
        {
            int stamp = i + 1;
            EpochMasks.PeekVisible(w[i].Cols, w[i].Vals, w[i].Count, wVisible);
            EpochMasks.PeekVisible(b[i].Cols, b[i].Vals, b[i].Count, bVisible);
            long AlphaAt(int j)
            {
                if (alphaStamp[j] != stamp)
                {
                    alpha[j] = AlphaSigmoid(consensus[j], wVisible[j], bVisible[j], low, high, steepness);
                    alphaStamp[j] = stamp;
                }
                return alpha[j];
            }
            var or = b[i];
            for (int k = 0; k < or.Count; k++)
                decayed[or.Cols[k]] = I32F32.SatMul(I32F32.SatSub(I32F32.One, AlphaAt(or.Cols[k])), or.Vals[k]);
            var nr = w[i];
            var row = new Row(nr.Count);
            for (int k = 0; k < nr.Count; k++)
            {
                int j = nr.Cols[k];
                long inc = Math.Max(0, I32F32.SatMul(AlphaAt(j), nr.Vals[k]));
                long v = Math.Min(I32F32.One, I32F32.SatAdd(decayed[j], inc));
                if (v > 0) row.Add(j, v);
            }
            for (int k = 0; k < or.Count; k++) decayed[or.Cols[k]] = 0;
            result[i] = row;
        }
        return result;
    }

    /// <summary><c>alpha_sigmoid</c> (spec §3.7): α = clamp(low + σ·(high − low)), σ = 1/(1 + exp_safe((s/−100)·(d − ½))).</summary>
    internal static long AlphaSigmoid(long consensus, long weight, long bond, long low, long high, long steepness)
    {
        long buy = Math.Max(Math.Min(I32F32.SatSub(weight, consensus), I32F32.One), 0);
        long sell = Math.Max(Math.Min(I32F32.SatSub(bond, weight), I32F32.One), 0);
        long diff = weight >= bond ? buy : sell;
        long x = I32F32.SatMul(I32F32.SatDiv(steepness, I32F32.FromInt(-100)), I32F32.SatSub(diff, I32F32.Half));
        long sigmoid = I32F32.SatDiv(I32F32.One, I32F32.SatAdd(I32F32.One, FixedExp.ExpSafe(x)));
        long alpha = I32F32.SatAdd(low, I32F32.SatMul(sigmoid, I32F32.SatSub(high, low)));
        return Math.Max(Math.Min(alpha, high), low);
    }

    /// <summary>
    /// <c>weighted_median_col_sparse</c>: per column the chain's deterministic quick-select over the positive active
    /// stakes (renormalized), with absent entries scoring 0 and duplicate columns overwriting.
    /// </summary>
    internal static long[] WeightedMedianColSparse(long[] stake, Row[] score, int n, long majority)
    {
        var useStake = stake.Where(s => s > 0).ToArray();
        Normalize(useStake);
        long stakeSum = 0;
        foreach (long s in useStake) stakeSum += s;
        long minority = I32F32.SatSub(stakeSum, majority);
        int m = useStake.Length;
        var median = new long[n];
        if (m == 0) return median;

        // Column-major dense scores: scores[c*m + k].
        var scores = new long[(long)n * m];
        int r = 0;
        for (int i = 0; i < stake.Length; i++)
        {
            if (stake[i] <= 0) continue;
            var row = score[i];
            for (int k = 0; k < row.Count; k++) scores[(long)row.Cols[k] * m + r] = row.Vals[k];
            r++;
        }
        var part = new int[m];
        var lower = new int[m];
        var upper = new int[m];
        for (int c = 0; c < n; c++)
            median[c] = WeightedMedian(useStake, scores.AsSpan((int)((long)c * m), m), minority, stakeSum, part, lower, upper);
        return median;
    }

    /// <summary>The chain's <c>weighted_median</c>: mid pivot, order-preserving partitions, iterative.</summary>
    internal static long WeightedMedian(long[] stake, ReadOnlySpan<long> score, long minority, long hi, int[] part, int[] lower, int[] upper)
    {
        int count = stake.Length;
        for (int k = 0; k < count; k++) part[k] = k;
        long lo = 0;
        for (int guard = 0; guard <= stake.Length + 1; guard++)
        {
            if (count == 0) return 0;
            if (count == 1) return score[part[0]];
            long pivot = score[part[count / 2]];
            long loStake = 0, hiStake = 0;
            int nl = 0, nu = 0;
            for (int k = 0; k < count; k++)
            {
                int idx = part[k];
                long s = score[idx];
                if (s == pivot) continue;
                if (s < pivot) { loStake = I32F32.SatAdd(loStake, stake[idx]); lower[nl++] = idx; }
                else { hiStake = I32F32.SatAdd(hiStake, stake[idx]); upper[nu++] = idx; }
            }
            long loEdge = I32F32.SatAdd(lo, loStake);
            long hiEdge = I32F32.SatSub(hi, hiStake);
            if (loEdge <= minority && minority < hiEdge) return pivot;
            if (minority < loEdge && nl > 0)
            {
                Array.Copy(lower, part, nl);
                count = nl;
                hi = loEdge;
            }
            else if (hiEdge <= minority && nu > 0)
            {
                Array.Copy(upper, part, nu);
                count = nu;
                lo = hiEdge;
            }
            else return pivot;
        }
        return 0;
    }

    private static ushort[] ToU16(long[] v)
    {
        var r = new ushort[v.Length];
        for (int i = 0; i < v.Length; i++) r[i] = I32F32.ToU16Proportion(v[i]);
        return r;
    }

    /// <summary>floor(I96F32(x) · I96F32(rao)) saturated to u64: floor(x_bits·rao / 2^32).</summary>
    private static ulong[] ToRao(long[] v, ulong rao)
    {
        var r = new ulong[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] <= 0) continue;
            UInt128 prod = ((UInt128)(ulong)v[i] * rao) >> 32;
            r[i] = prod > ulong.MaxValue ? ulong.MaxValue : (ulong)prod;
        }
        return r;
    }

    /// <summary>A growable sparse row of (column, I32F32 bits), in insertion order.</summary>
    internal sealed class Row
    {
        public int[] Cols;
        public long[] Vals;
        public int Count;

        public Row(int capacity = 4)
        {
            Cols = new int[Math.Max(capacity, 1)];
            Vals = new long[Math.Max(capacity, 1)];
        }

        public void Add(int col, long val)
        {
            if (Count == Cols.Length)
            {
                Array.Resize(ref Cols, Count * 2);
                Array.Resize(ref Vals, Count * 2);
            }
            Cols[Count] = col;
            Vals[Count++] = val;
        }

        public long Sum()
        {
            long s = 0;
            for (int k = 0; k < Count; k++) s += Vals[k];
            return s;
        }

        public void DivideAll(long divisor)
        {
            for (int k = 0; k < Count; k++) Vals[k] = I32F32.SafeDiv(Vals[k], divisor);
        }

        public Row Clone()
        {
            var r = new Row(Count);
            Array.Copy(Cols, r.Cols, Count);
            Array.Copy(Vals, r.Vals, Count);
            r.Count = Count;
            return r;
        }
    }
}
