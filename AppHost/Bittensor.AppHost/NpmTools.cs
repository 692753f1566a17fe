using System.Diagnostics;

namespace Bittensor.AppHost;

/// <summary>Azurite comes from npm (package.json and its lock file at the repository root).</summary>
internal static class NpmTools
{
    /// <summary>Runs <c>npm ci</c> once when Azurite is not installed yet, so the AppHost works on a fresh clone.</summary>
    public static void EnsureAzurite(string root)
    {
        if (File.Exists(Path.Combine(root, "node_modules", "azurite", "dist", "src", "table", "main.js"))) return;
        Console.WriteLine("Installing Azurite (npm ci)…");
        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = root })
            ?? throw new InvalidOperationException("npm is required to install Azurite (Node.js 20 or later)");
        npm.WaitForExit();
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci failed with exit code {npm.ExitCode}");
    }
}
