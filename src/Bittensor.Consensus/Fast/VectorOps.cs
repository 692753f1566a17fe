using System.Numerics.Tensors;

namespace Bittensor.Consensus.Fast;

/// <summary>
/// The span operations the dense epoch needs, each in two forms: SIMD through <see cref="TensorPrimitives"/>
/// (Fast) and plain scalar loops (Naive, the baseline a user would write). Same results up to summation order.
/// </summary>
internal readonly struct VectorOps(bool simd)
{
    public bool Simd => simd;

    /// <summary>dst = x ⊙ y.</summary>
    public void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        if (simd) { TensorPrimitives.Multiply(x, y, dst); return; }
        for (int i = 0; i < x.Length; i++) dst[i] = x[i] * y[i];
    }

    /// <summary>dst = x · s.</summary>
    public void Multiply(ReadOnlySpan<float> x, float s, Span<float> dst)
    {
        if (simd) { TensorPrimitives.Multiply(x, s, dst); return; }
        for (int i = 0; i < x.Length; i++) dst[i] = x[i] * s;
    }

    /// <summary>dst = min(x, s) (IEEE minimum: −0 below +0).</summary>
    public void Min(ReadOnlySpan<float> x, float s, Span<float> dst)
    {
        if (simd) { TensorPrimitives.Min(x, s, dst); return; }
        for (int i = 0; i < x.Length; i++) dst[i] = Math.Min(x[i], s);
    }

    /// <summary>dst = x + y.</summary>
    public void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        if (simd) { TensorPrimitives.Add(x, y, dst); return; }
        for (int i = 0; i < x.Length; i++) dst[i] = x[i] + y[i];
    }

    /// <summary>dst = x·s + addend.</summary>
    public void MultiplyAdd(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> addend, Span<float> dst)
    {
        if (simd) { TensorPrimitives.MultiplyAdd(x, s, addend, dst); return; }
        for (int i = 0; i < x.Length; i++) dst[i] = x[i] * s + addend[i];
    }

    /// <summary>dst = a·x + b·y (an EMA of two columns).</summary>
    public void Blend(ReadOnlySpan<float> x, float a, ReadOnlySpan<float> y, float b, Span<float> dst)
    {
        if (simd)
        {
            TensorPrimitives.Multiply(y, b, dst);
            TensorPrimitives.MultiplyAdd(x, a, dst, dst);
            return;
        }
        for (int i = 0; i < x.Length; i++) dst[i] = a * x[i] + b * y[i];
    }

    /// <summary>Σ x.</summary>
    public float Sum(ReadOnlySpan<float> x)
    {
        if (simd) return TensorPrimitives.Sum(x);
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>Σ x ⊙ y.</summary>
    public float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (simd) return TensorPrimitives.Dot(x, y);
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>max x (0 for an empty span).</summary>
    public float Max(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return 0;
        if (simd) return TensorPrimitives.Max(x);
        float m = x[0];
        for (int i = 1; i < x.Length; i++) if (x[i] > m) m = x[i];
        return m;
    }

    /// <summary>min x (0 for an empty span).</summary>
    public float MinValue(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return 0;
        if (simd) return TensorPrimitives.Min(x);
        float m = x[0];
        for (int i = 1; i < x.Length; i++) if (x[i] < m) m = x[i];
        return m;
    }

    /// <summary>dst = max(x, +0): drops non-positive entries (and stored-zero markers) to absent.</summary>
    public void KeepPositive(ReadOnlySpan<float> x, Span<float> dst)
    {
        if (simd) { TensorPrimitives.Max(x, 0f, dst); return; }
        for (int i = 0; i < x.Length; i++) dst[i] = x[i] > 0 ? x[i] : 0f;
    }
}
