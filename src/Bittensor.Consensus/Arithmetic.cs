namespace Bittensor.Consensus;

/// <summary>Which arithmetic back end computes an epoch.</summary>
public enum Arithmetic
{
    /// <summary>Bit-exact emulation of subtensor's I32F32/I64F64/I96F32 arithmetic on the sparse matrices.</summary>
    Exact,

    /// <summary>Dense single-precision math with SIMD (<c>TensorPrimitives</c>); agrees with Exact within documented bounds.</summary>
    Fast,

    /// <summary>The same dense algorithm as Fast in plain scalar loops (a baseline for benchmarks and tests).</summary>
    Naive,
}
