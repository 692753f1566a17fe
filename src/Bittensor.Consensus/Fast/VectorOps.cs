using System.Numerics.Tensors;

namespace Bittensor.Consensus.Fast;

/// <summary>The span operations the dense epoch needs, as SIMD through <see cref="TensorPrimitives"/>.</summary>
internal static class VectorOps
{
    /// <summary>dst = x ⊙ y.</summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        TensorPrimitives.Multiply(x, y, dst);
    }

    /// <summary>dst = x · s.</summary>
    public static void Multiply(ReadOnlySpan<float> x, float s, Span<float> dst)
    {
        TensorPrimitives.Multiply(x, s, dst);
    }

    /// <summary>dst = min(x, s) (IEEE minimum: −0 below +0).</summary>
    public static void Min(ReadOnlySpan<float> x, float s, Span<float> dst)
    {
        TensorPrimitives.Min(x, s, dst);
    }

    /// <summary>dst = x + y.</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        TensorPrimitives.Add(x, y, dst);
    }

    /// <summary>dst = x·s + addend.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> addend, Span<float> dst)
    {
        TensorPrimitives.MultiplyAdd(x, s, addend, dst);
    }

    /// <summary>dst = a·x + b·y (an EMA of two columns).</summary>
    public static void Blend(ReadOnlySpan<float> x, float a, ReadOnlySpan<float> y, float b, Span<float> dst)
    {
        TensorPrimitives.Multiply(y, b, dst);
        TensorPrimitives.MultiplyAdd(x, a, dst, dst);
    }

    /// <summary>Σ x.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        return TensorPrimitives.Sum(x);
    }

    /// <summary>Σ x ⊙ y.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        return TensorPrimitives.Dot(x, y);
    }

    /// <summary>max x (0 for an empty span).</summary>
    public static float Max(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return 0;
        return TensorPrimitives.Max(x);
    }

    /// <summary>min x (0 for an empty span).</summary>
    public static float MinValue(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return 0;
        return TensorPrimitives.Min(x);
    }

    /// <summary>dst = max(x, +0): drops non-positive entries (and stored-zero markers) to absent.</summary>
    public static void KeepPositive(ReadOnlySpan<float> x, Span<float> dst)
    {
        TensorPrimitives.Max(x, 0f, dst);
    }
}
