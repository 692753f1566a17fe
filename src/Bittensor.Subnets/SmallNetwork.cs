namespace Bittensor.Subnets;

/// <summary>
/// A forecast miner's small neural network: 8 lagged differences → 8 tanh units → the next difference, trained by
/// full-batch gradient descent on the recent window and iterated forward. Deterministic for a seed.
/// </summary>
public static class SmallNetwork
{
    private const int Lags = 8, Hidden = 8, Window = 96, Epochs = 300;
    private const double Rate = 0.05;

    public static float[] Forecast(ReadOnlySpan<double> series, int horizon, ulong seed)
    {
        int start = Math.Max(1, series.Length - Window);
        var d = new double[series.Length - start];
        for (int t = start; t < series.Length; t++) d[t - start] = series[t] - series[t - 1];
        double scale = Math.Max(1e-9, d.Select(Math.Abs).Average());
        for (int i = 0; i < d.Length; i++) d[i] /= scale;

        var rng = new SplitMix64(seed ^ 0xA5A5A5A5UL);
        var w1 = new double[Hidden, Lags];
        var b1 = new double[Hidden];
        var w2 = new double[Hidden];
        double b2 = 0;
        for (int h = 0; h < Hidden; h++)
        {
            for (int k = 0; k < Lags; k++) w1[h, k] = rng.NextSigned() * 0.3;
            w2[h] = rng.NextSigned() * 0.3;
        }
        int samples = d.Length - Lags;
        var hidden = new double[Hidden];
        for (int epoch = 0; epoch < Epochs && samples > 0; epoch++)
        {
            var gw1 = new double[Hidden, Lags];
            var gb1 = new double[Hidden];
            var gw2 = new double[Hidden];
            double gb2 = 0;
            for (int t = Lags; t < d.Length; t++)
            {
                double y = Forward(d, t, w1, b1, w2, b2, hidden);
                double err = (y - d[t]) / samples;
                gb2 += err;
                for (int h = 0; h < Hidden; h++)
                {
                    gw2[h] += err * hidden[h];
                    double back = err * w2[h] * (1 - hidden[h] * hidden[h]);
                    gb1[h] += back;
                    for (int k = 0; k < Lags; k++) gw1[h, k] += back * d[t - 1 - k];
                }
            }
            b2 -= Rate * gb2;
            for (int h = 0; h < Hidden; h++)
            {
                w2[h] -= Rate * gw2[h];
                b1[h] -= Rate * gb1[h];
                for (int k = 0; k < Lags; k++) w1[h, k] -= Rate * gw1[h, k];
            }
        }
        var history = d.ToList();
        var result = new float[horizon];
        double level = series[^1];
        for (int i = 0; i < horizon; i++)
        {
            var window = history.ToArray();
            double next = samples > 0 ? Forward(window, window.Length, w1, b1, w2, b2, hidden) : 0;
            history.Add(next);
            level += next * scale;
            result[i] = (float)level;
        }
        return result;
    }

    private static double Forward(double[] d, int t, double[,] w1, double[] b1, double[] w2, double b2, double[] hidden)
    {
        double y = b2;
        for (int h = 0; h < Hidden; h++)
        {
            double a = b1[h];
            for (int k = 0; k < Lags; k++) a += w1[h, k] * d[t - 1 - k];
            hidden[h] = Math.Tanh(a);
            y += w2[h] * hidden[h];
        }
        return y;
    }
}
