namespace Bittensor.Subnets;

/// <summary>
/// Prediction subnet: a seeded synthetic price series that switches between regimes (up-trend, down-trend, mean
/// reversion, high volatility) by a Markov chain; the validator reveals it up to t, miners forecast the next h steps,
/// and are scored by their error against the hidden continuation: 1/(1 + RMSE/σ), σ the revealed step volatility.
/// Miner models: <c>naive</c> (last value), <c>ar</c> (autoregressive least squares on the last 48 differences) and
/// <c>mlp</c> (a small neural network on the recent differences, <see cref="SmallNetwork"/>).
/// </summary>
public sealed class ForecastTask(int revealed = 256, int horizon = 16) : ISubnetTask
{
    public string Name => "forecast";

    public static double[] Series(ulong seed, int length)
    {
        var rng = new SplitMix64(seed);
        var x = new double[length];
        int regime = (int)(rng.Next() % 4);
        double level = 100, value = 100, previous = 0;
        for (int t = 0; t < length; t++)
        {
            if ((rng.Next() % 1000) < 30) regime = (int)(rng.Next() % 4);
            double step = regime switch
            {
                0 => 0.35 + 0.5 * rng.NextGaussian(),
                1 => -0.35 + 0.5 * rng.NextGaussian(),
                2 => 0.15 * (level - value) + 0.5 * previous + 0.4 * rng.NextGaussian(),
                _ => 2.0 * rng.NextGaussian(),
            };
            value += step;
            previous = step;
            if (regime != 2) level = value;
            x[t] = value;
        }
        return x;
    }

    public Challenge CreateChallenge(ulong seed, ushort netuid, string validator) =>
        new(Name, seed, revealed, [.. Series(seed, revealed)], horizon, netuid, validator);

    public float[] Solve(Challenge challenge, IComputeBackend backend, string model)
    {
        var data = challenge.Data.AsSpan();
        var result = new float[challenge.Horizon];
        if (model == "naive")
        {
            Array.Fill(result, (float)data[^1]);
            return result;
        }
        if (model == "mlp") return SmallNetwork.Forecast(data, challenge.Horizon, challenge.Seed);
        // AR(p) on the recent differences (the current regime), fitted by least squares, iterated forward.
        const int p = 2, window = 48;
        int start = Math.Max(1, data.Length - window);
        var d = new double[data.Length - start];
        for (int t = start; t < data.Length; t++) d[t - start] = data[t] - data[t - 1];
        var coefficients = FitAr(d, p);
        var history = d.ToList();
        double last = data[^1];
        for (int h = 0; h < challenge.Horizon; h++)
        {
            double next = coefficients[p];
            for (int k = 0; k < p; k++) next += coefficients[k] * history[^(k + 1)];
            history.Add(next);
            last += next;
            result[h] = (float)last;
        }
        return result;
    }

    /// <summary>Least-squares AR(p) with intercept: coefficients[0..p) for lags 1..p, coefficients[p] the intercept.</summary>
    internal static double[] FitAr(double[] d, int p)
    {
        int m = p + 1;
        var xtx = new double[m, m];
        var xty = new double[m];
        var row = new double[m];
        for (int t = p; t < d.Length; t++)
        {
            for (int k = 0; k < p; k++) row[k] = d[t - 1 - k];
            row[p] = 1;
            for (int i = 0; i < m; i++)
            {
                xty[i] += row[i] * d[t];
                for (int j = 0; j < m; j++) xtx[i, j] += row[i] * row[j];
            }
        }
        for (int i = 0; i < m; i++) xtx[i, i] += 1e-6; // ridge, for a well-posed solve
        return Solve(xtx, xty);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var x = (double[])b.Clone();
        var m = (double[,])a.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            for (int k = 0; k < n; k++) (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            (x[c], x[pivot]) = (x[pivot], x[c]);
            for (int r = 0; r < n; r++)
            {
                if (r == c) continue;
                double f = m[r, c] / m[c, c];
                for (int k = c; k < n; k++) m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (int i = 0; i < n; i++) x[i] /= m[i, i];
        return x;
    }

    public double Score(Challenge challenge, ReadOnlySpan<float> answer, TimeSpan latency)
    {
        if (answer.Length != challenge.Horizon) return 0;
        var full = Series(challenge.Seed, challenge.Size + challenge.Horizon);
        double sigma = 0;
        for (int t = 1; t < challenge.Size; t++) sigma += Math.Abs(full[t] - full[t - 1]);
        sigma = Math.Max(1e-9, sigma / (challenge.Size - 1));
        double se = 0;
        for (int h = 0; h < challenge.Horizon; h++)
        {
            if (!float.IsFinite(answer[h])) return 0;
            double e = answer[h] - full[challenge.Size + h];
            se += e * e;
        }
        double rmse = Math.Sqrt(se / challenge.Horizon);
        return 1.0 / (1.0 + rmse / sigma) / (1.0 + 0.1 * latency.TotalSeconds);
    }
}
