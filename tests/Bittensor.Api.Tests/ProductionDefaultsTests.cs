using Bittensor.Keys;

namespace Bittensor.Api.Tests;

/// <summary>Production serves no operator surfaces unless configured, and key files are private to their owner.</summary>
public sealed class ProductionDefaultsTests
{
    [Fact]
    public async Task Production_ServesNoSwaggerOpenApiOrDashboard_UnlessConfigured()
    {
        await using var factory = new SiloFactory(new Dictionary<string, string?> { ["Orleans:Dashboard"] = null, ["Api:Swagger"] = null });
        using var http = factory.CreateClient();
        foreach (string path in new[] { "/swagger/index.html", "/openapi/v1.json", "/dashboard" })
            Assert.Equal(404, (int)(await http.GetAsync(path)).StatusCode);
        Assert.True((await http.GetAsync("/api/chain")).IsSuccessStatusCode);
    }

    [Fact]
    public void KeyFiles_AreReadableByTheirOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        string root = Path.Combine(Path.GetTempPath(), $"wallets-{Guid.NewGuid():N}");
        try
        {
            var wallet = new WalletStore(root);
            wallet.CreateColdkey("w", "password");
            wallet.CreateHotkey("w", "h");
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("pub.txt", StringComparison.Ordinal)))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
