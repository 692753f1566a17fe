namespace Bittensor.Consensus;

/// <summary>Which arithmetic back end computes an epoch.</summary>
public enum Arithmetic
{
    /// <summary>Bit-exact emulation of subtensor's I32F32/I64F64/I96F32 arithmetic on the sparse matrices.</summary>
    Exact,

    /// <summary>Dense single-precision math over the validator rows with SIMD (<c>TensorPrimitives</c>); agrees with Exact within documented bounds.</summary>
    Fast,

    /// <summary>The dense epoch as a user would write it: n×n float matrices, one pass per step, scalar loops (the benchmark baseline).</summary>
    Naive,
}
