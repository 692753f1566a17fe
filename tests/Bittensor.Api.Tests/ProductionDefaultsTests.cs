using Bittensor.Keys;
using Bittensor.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

    [Theory]
    [InlineData("Chain:Faucet")]
    [InlineData("Chain:TrustClients")]
    public async Task Production_RefusesTheFaucetAndUnsignedClients_UnlessTheDeploymentIsATestnet(string setting)
    {
        var settings = new Dictionary<string, string?> { ["Chain:Testnet"] = "false", ["Chain:Faucet"] = "false", ["Chain:TrustClients"] = "false", [setting] = "true" };
        await using (var refused = new SiloFactory(settings))
        {
            var e = Assert.ThrowsAny<Exception>(() => refused.CreateClient());
            Assert.Contains($"{setting} ", e.ToString());
            Assert.Contains("Chain:Testnet=true", e.ToString());
        }
        await using var testnet = new SiloFactory(new Dictionary<string, string?>(settings) { ["Chain:Testnet"] = "true" });
        Assert.True((await testnet.CreateClient().GetAsync("/api/chain")).IsSuccessStatusCode);
    }

    [Fact]
    public void ProductionWorkers_RefuseThePublicDevelopmentKeySeed()
    {
        WorkerOptions Options(string environment, string? seed)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
            if (seed is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:KeySeed"] = seed });
            builder.AddBittensorClient();
            builder.Services.AddBittensorWorkers();
            using var host = builder.Build();
            return host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        }
        Assert.Contains("Worker:KeySeed", Assert.Throws<OptionsValidationException>(() => Options("Production", null)).Message);
        Assert.Throws<OptionsValidationException>(() => Options("Production", "short"));
        Assert.Equal("a-secret-seed-of-32-characters!!", Options("Production", "a-secret-seed-of-32-characters!!").KeySeed);
        Assert.Equal(WorkerOptions.DevelopmentSeed, Options("Development", null).KeySeed);
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
