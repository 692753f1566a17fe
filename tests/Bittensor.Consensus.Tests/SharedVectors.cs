using System.Text.Json;
using Bittensor.Consensus.Cases;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// Locates and loads the golden vectors in <c>tests/vectors</c> inside the repository (transcribed from subtensor's own
/// tests at commit 14bc6f9f; provenance in <c>tests/vectors/README.md</c>).
/// </summary>
public static class SharedVectors
{
    public static string Directory { get; } = Locate();

    private static string Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bittensor.Orleans.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"cannot find the repository root (Bittensor.Orleans.sln) above {AppContext.BaseDirectory}");
        string path = Path.Combine(dir.FullName, "tests", "vectors");
        if (!System.IO.Directory.Exists(path)) throw new InvalidOperationException($"golden vectors not found at {path}");
        return path;
    }

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, file)));

    /// <summary>Every epoch case file.</summary>
    public static IEnumerable<string> EpochFiles() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileName).Where(f =>
        {
            using var doc = Load(f!);
            return doc.RootElement.GetProperty("schema").GetString() == "yuma-epoch-cases/1";
        })!;

    /// <summary>(file, case name) for every epoch case.</summary>
    public static TheoryData<string, string> EpochCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in EpochFiles())
        {
            using var doc = Load(f);
            foreach (var c in EpochCase.ReadDocument(doc.RootElement)) data.Add(f, c.Name);
        }
        return data;
    }

    public static EpochCase Case(string file, string name)
    {
        using var doc = Load(file);
        return EpochCase.ReadDocument(doc.RootElement).Single(c => c.Name == name);
    }
}
