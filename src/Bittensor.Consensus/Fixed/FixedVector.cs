namespace Bittensor.Consensus.Fixed;

/// <summary>Vector helpers on I32F32 bits shared by the back ends.</summary>
internal static class FixedVector
{
    /// <summary><c>inplace_normalize</c>: divide each element by the plain sum unless the sum is 0.</summary>
    public static void Normalize(long[] v)
    {
        long sum = 0;
        foreach (long e in v) sum += e;
        if (sum == 0) return;
        for (int i = 0; i < v.Length; i++) v[i] = I32F32.SafeDiv(v[i], sum);
    }
}
