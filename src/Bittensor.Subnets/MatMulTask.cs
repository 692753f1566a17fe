namespace Bittensor.Subnets;

/// <summary>
/// Compute subnet: the validator sends a seed and a size; the miner computes C = A·B for the seeded float matrices; the
/// validator checks C with Freivalds' test (A(Br) = Cr for random ±1 vectors r, O(n²) each) and scores correct answers
/// by latency, in 100 ms steps.
/// </summary>
public sealed class MatMulTask(int size = 64, int rounds = 3) : ISubnetTask
{
    public string Name => "matmul";

    public Challenge CreateChallenge(ulong seed, ushort netuid, string validator) => new(Name, seed, size, [], 0, netuid, validator);

    public static (float[] A, float[] B) Matrices(ulong seed, int n)
    {
        var rng = new SplitMix64(seed);
        var a = new float[n * n];
        var b = new float[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextSigned();
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextSigned();
        return (a, b);
    }

    public float[] Solve(Challenge challenge, IComputeBackend backend, string model)
    {
        int n = challenge.Size;
        var (a, b) = Matrices(challenge.Seed, n);
        var c = new float[n * n];
        backend.MatMul(a, b, c, n);
        return c;
    }

    public double Score(Challenge challenge, ReadOnlySpan<float> answer, TimeSpan latency)
    {
        int n = challenge.Size;
        if (answer.Length != n * n) return 0;
        var (a, b) = Matrices(challenge.Seed, n);
        var rng = new SplitMix64(challenge.Seed ^ 0x5DEECE66DUL);
        var r = new double[n];
        var br = new double[n];
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < n; i++) r[i] = (rng.Next() & 1) == 0 ? -1 : 1;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += b[i * n + k] * r[k];
                br[i] = s;
            }
            for (int i = 0; i < n; i++)
            {
                double abr = 0, cr = 0;
                for (int k = 0; k < n; k++)
                {
                    abr += a[i * n + k] * br[k];
                    cr += answer[i * n + k] * r[k];
                }
                if (!double.IsFinite(cr) || Math.Abs(abr - cr) > 1e-3 * n) return 0;
            }
        }
        // Correct first; then latency in 100 ms steps, so jitter of a few milliseconds cannot reorder equal miners.
        return 1.0 / (1.0 + 0.25 * Math.Floor(latency.TotalMilliseconds / 100));
    }
}
