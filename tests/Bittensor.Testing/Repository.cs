namespace Bittensor.Testing;

/// <summary>The repository the tests run from (found by its solution file above the test binaries), so a clone anywhere works.</summary>
public static class Repository
{
    /// <summary>The folder holding Bittensor.Orleans.sln.</summary>
    public static string Root { get; } = Locate();

    /// <summary>The golden vectors (tests/vectors).</summary>
    public static string Vectors => Path.Combine(Root, "tests", "vectors");

    private static string Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bittensor.Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"cannot find the repository root (Bittensor.Orleans.sln) above {AppContext.BaseDirectory}");
    }
}
