using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Microsoft.Extensions.Logging;

namespace Bittensor.Subnets;

/// <summary>Dense compute a miner runs its work on: a GPU through ILGPU when one is present, else SIMD on the CPU.</summary>
public interface IComputeBackend : IDisposable
{
    /// <summary>"cpu-simd", "cuda:&lt;device&gt;" or "ilgpu-cpu".</summary>
    string Name { get; }

    /// <summary>C = A·B for row-major n×n matrices.</summary>
    void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int n);
}

/// <summary>CPU back end: each C[i, j] is a SIMD dot product of a row of A and a row of Bᵀ (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>).</summary>
public sealed class CpuBackend : IComputeBackend
{
    public string Name => "cpu-simd";

    public void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int n)
    {
        Compute.Check(a, b, c, n);
        var bt = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) bt[j * n + i] = b[i * n + j];
        for (int i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            for (int j = 0; j < n; j++) c[i * n + j] = TensorPrimitives.Dot(row, bt.AsSpan(j * n, n));
        }
    }

    public void Dispose()
    {
    }
}

/// <summary>ILGPU back end: one kernel thread per output cell, on a CUDA GPU (or on ILGPU's CPU accelerator, for tests).</summary>
public sealed class IlgpuBackend : IComputeBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> _kernel;

    private IlgpuBackend(Context context, Accelerator accelerator)
    {
        _context = context;
        _accelerator = accelerator;
        _kernel = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(MatMulKernel);
        Name = accelerator.AcceleratorType == AcceleratorType.Cuda ? $"cuda:{accelerator.Name}" : "ilgpu-cpu";
    }

    public string Name { get; }

    /// <summary>A CUDA back end on the first CUDA device, or null when there is none.</summary>
    public static IlgpuBackend? TryCuda()
    {
        var context = Context.Create(b => b.Cuda());
        CudaDevice? device = null;
        foreach (var d in context.GetCudaDevices()) { device = d; break; }
        if (device is null)
        {
            context.Dispose();
            return null;
        }
        return new IlgpuBackend(context, device.CreateAccelerator(context));
    }

    /// <summary>The kernel on ILGPU's CPU accelerator (slow; for testing the GPU path without a GPU).</summary>
    public static IlgpuBackend CpuAccelerator()
    {
        var context = Context.Create(b => b.CPU());
        return new IlgpuBackend(context, context.GetCPUDevice(0).CreateAccelerator(context));
    }

    public void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int n)
    {
        Compute.Check(a, b, c, n);
        using var da = _accelerator.Allocate1D(a.ToArray());
        using var db = _accelerator.Allocate1D(b.ToArray());
        using var dc = _accelerator.Allocate1D<float>(n * n);
        _kernel(new Index2D(n, n), da.View, db.View, dc.View, n);
        _accelerator.Synchronize();
        dc.GetAsArray1D().AsSpan().CopyTo(c);
    }

    /// <summary>C[i, j] = Σ_k A[i, k]·B[k, j].</summary>
    private static void MatMulKernel(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n)
    {
        int i = index.X, j = index.Y;
        float sum = 0;
        for (int k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
        c[i * n + j] = sum;
    }

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}

public static partial class Compute
{
    /// <summary>The miner's back end: CUDA through ILGPU when a device is present, else CPU SIMD; the choice is logged.</summary>
    public static IComputeBackend Select(ILogger logger)
    {
        IComputeBackend backend;
        try
        {
            backend = (IComputeBackend?)IlgpuBackend.TryCuda() ?? new CpuBackend();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNoGpu(logger, e.Message);
            backend = new CpuBackend();
        }
        LogSelected(logger, backend.Name);
        return backend;
    }

    internal static void Check(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int n)
    {
        if (n < 1 || n > 4096) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be in 1..4096");
        long size = (long)n * n;
        if (a.Length != size || b.Length != size || c.Length != size) throw new ArgumentException($"matrices must hold n² = {size} values");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compute back end: {Backend}")]
    private static partial void LogSelected(ILogger logger, string backend);

    [LoggerMessage(Level = LogLevel.Information, Message = "No CUDA device through ILGPU ({Reason}); using the CPU")]
    private static partial void LogNoGpu(ILogger logger, string reason);
}
