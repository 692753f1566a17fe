namespace Bittensor.Cloud.Tests;

/// <summary>The repository these tests were built from (the folder holding Bittensor.Orleans.sln).</summary>
public static class Repository
{
    public static readonly string Root = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bittensor.Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
