using Bittensor.Consensus.Exact;
using Bittensor.Consensus.Fast;
using Bittensor.Consensus.Fixed;

namespace Bittensor.Consensus.Naive;

/// <summary>
/// The dense epoch as a user would write it (the shape of subtensor's <c>epoch_dense</c>): full n×n row-major
/// float matrices, one step per pass, plain scalar loops, the chain's index-list quick-select per column.
/// It is the benchmark baseline for <see cref="Fast.DenseEpoch"/> and computes the same values (sparse-epoch
/// semantics: owner self-weight kept, commit-reveal mask applied) within float rounding.
/// </summary>
internal static class NaiveEpoch
{
    public static EpochResult Run(EpochParameters p, EpochInput x)
    {
        int n = x.N;
        var pre = EpochPrelude.Compute(p, x);
        int owner = p.OwnerUid ?? -1;
        var a = pre.ActiveStake.Select(s => (float)I32F32.ToDouble(s)).ToArray();

        // Weights: fill, then mask permits, diagonal, outdated and commit-reveal, one pass each.
        var w = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            var cols = x.Weights.RowColumns(i);
            var vals = x.Weights.RowValues(i);
            for (int k = 0; k < cols.Length; k++) if (cols[k] < n) w[i * n + cols[k]] = vals[k] == 0 ? -0f : vals[k];
        }
        for (int i = 0; i < n; i++) if (!pre.PermitOld[i]) for (int j = 0; j < n; j++) w[i * n + j] = 0;
        for (int i = 0; i < n; i++) if (i != owner) w[i * n + i] = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (pre.LastUpdate[i] <= x.BlockAtRegistration[j]) w[i * n + j] = 0;
        if (p.CommitReveal && x.CommitBlocks is { } commits)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (commits[i] < x.BlockAtRegistration[j]) w[i * n + j] = 0;
        for (int i = 0; i < n; i++)
        {
            float sum = 0;
            for (int j = 0; j < n; j++) sum += w[i * n + j];
            if (sum > 0) for (int j = 0; j < n; j++) w[i * n + j] /= sum;
        }

        // Consensus: per column, the chain's weighted median over positive active stake.
        float kappa = (float)I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.Kappa), I32F32.U16Max));
        var consensus = new float[n];
        for (int c = 0; c < n; c++)
        {
            var useStake = new List<float>();
            var useScore = new List<float>();
            for (int r = 0; r < n; r++)
            {
                if (a[r] <= 0) continue;
                useStake.Add(a[r]);
                useScore.Add(w[r * n + c]);
            }
            if (useStake.Count == 0) continue;
            float total = 0;
            foreach (float s in useStake) total += s;
            for (int k = 0; k < useStake.Count; k++) useStake[k] /= total;
            float stakeSum = 0;
            foreach (float s in useStake) stakeSum += s;
            consensus[c] = WeightedMedian(useStake, useScore, Enumerable.Range(0, useStake.Count).ToList(), stakeSum - kappa, 0, stakeSum);
        }

        // Clip against +0 where consensus is a median of stored zeros (−0): the chain drops W > C when C ≤ 0.
        var clipped = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) clipped[i * n + j] = Math.Min(w[i * n + j], consensus[j] == 0 ? 0f : consensus[j]);
        var trust = new float[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) trust[i] += clipped[i * n + j];
        var ranks = new float[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) ranks[j] += a[i] * clipped[i * n + j];
        Normalize(ranks);
        float[] incentive = ranks;

        float penalty = (float)I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.BondsPenalty), I32F32.U16Max));
        float[] wb;
        if (penalty == 0) wb = w;
        else if (penalty == 1) wb = clipped;
        else
        {
            wb = new float[n * n];
            for (int k = 0; k < n * n; k++) { float v = w[k] + penalty * (clipped[k] - w[k]); wb[k] = v > 0 ? v : 0; }
        }

        var b = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            var cols = x.Bonds.RowColumns(i);
            var vals = x.Bonds.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
                if (cols[k] < n) b[i * n + cols[k]] = p.Yuma3 ? (float)I32F32.ToDouble(I32F32.FromU16Proportion(vals[k])) : vals[k];
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (pre.LastTempo <= x.BlockAtRegistration[j]) b[i * n + j] = 0;

        float alpha = (float)I32F32.ToDouble(ExactEpoch.DisabledLiquidAlpha(p.BondsMovingAverage));
        var dividends = new float[n];
        float[] store;
        if (!p.Yuma3)
        {
            ColNormalize(b, n);
            var delta = new float[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) delta[i * n + j] = wb[i * n + j] * a[i];
            ColNormalize(delta, n);
            var ema = new float[n * n];
            for (int k = 0; k < n * n; k++) ema[k] = alpha * delta[k] + (1 - alpha) * b[k];
            ColNormalize(ema, n);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) dividends[i] += incentive[j] * ema[i * n + j];
            Normalize(dividends);
            var colMax = new float[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) colMax[j] = Math.Max(colMax[j], ema[i * n + j]);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (colMax[j] > 0) ema[i * n + j] /= colMax[j];
            store = ema;
        }
        else
        {
            var ema = new float[n * n];
            bool liquid = p.LiquidAlpha && consensus.Any(c => c != 0);
            if (liquid)
            {
                double low = I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.AlphaLow), I32F32.U16Max));
                double high = I32F32.ToDouble(I32F32.SafeDiv(I32F32.FromInt(p.AlphaHigh), I32F32.U16Max));
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        float wv = wb[i * n + j], bv = b[i * n + j];
                        bool present = wv > 0 || (wv == 0 && float.IsNegative(wv));
                        if (!present) continue;
                        double diff = wv >= bv ? Math.Clamp(wv - consensus[j], 0, 1) : Math.Clamp(bv - wv, 0, 1);
                        double z = Math.Clamp(p.AlphaSigmoidSteepness / -100.0 * (diff - 0.5), -20, 20);
                        double al = Math.Clamp(low + (high - low) / (1 + Math.Exp(z)), low, high);
                        ema[i * n + j] = (float)Math.Min(1, (1 - al) * bv + Math.Max(0, al * wv));
                    }
            }
            else
            {
                for (int k = 0; k < n * n; k++) ema[k] = Math.Max(0, alpha * wb[k] + (1 - alpha) * b[k]);
            }
            var norm = (float[])ema.Clone();
            ColNormalize(norm, n);
            for (int i = 0; i < n; i++)
            {
                float t = 0;
                for (int j = 0; j < n; j++) t += norm[i * n + j] * incentive[j];
                dividends[i] = t * a[i];
            }
            Normalize(dividends);
            store = ema;
        }

        var bonds = new SparseMatrix.Builder(n);
        for (int i = 0; i < n; i++)
        {
            if (pre.PermitNew[i])
                for (int j = 0; j < n; j++)
                {
                    float scaled = store[i * n + j] * 65535f;
                    if (scaled >= 1f) bonds.Add((ushort)j, scaled >= 65535f ? ushort.MaxValue : (ushort)scaled);
                }
            bonds.EndRow();
        }
        return DenseEpoch.Emission(p, x, pre,
            incentive.Select(v => (double)v).ToArray(), dividends.Select(v => (double)v).ToArray(),
            consensus, trust.Select(v => (double)v).ToArray(), bonds.Build());
    }

    private static void Normalize(float[] v)
    {
        float sum = 0;
        foreach (float e in v) sum += e;
        if (sum != 0) for (int i = 0; i < v.Length; i++) v[i] /= sum;
    }

    private static void ColNormalize(float[] m, int n)
    {
        var sums = new float[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) sums[j] += m[i * n + j];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (sums[j] != 0) m[i * n + j] /= sums[j];
    }

    /// <summary>The chain's <c>weighted_median</c> (mid pivot, order-preserving index lists, recursion).</summary>
    private static float WeightedMedian(List<float> stake, List<float> score, List<int> partition, float minority, float lo, float hi)
    {
        if (partition.Count == 0) return 0;
        if (partition.Count == 1) return score[partition[0]];
        float pivot = score[partition[partition.Count / 2]];
        float loStake = 0, hiStake = 0;
        var lower = new List<int>();
        var upper = new List<int>();
        foreach (int idx in partition)
        {
            if (score[idx] == pivot) continue;
            if (score[idx] < pivot) { loStake += stake[idx]; lower.Add(idx); }
            else { hiStake += stake[idx]; upper.Add(idx); }
        }
        if (lo + loStake <= minority && minority < hi - hiStake) return pivot;
        if (minority < lo + loStake && lower.Count > 0) return WeightedMedian(stake, score, lower, minority, lo, lo + loStake);
        if (hi - hiStake <= minority && upper.Count > 0) return WeightedMedian(stake, score, upper, minority, hi - hiStake, hi);
        return pivot;
    }
}
