using System.Text;
using System.Text.Json;
using Bittensor.Keys;

namespace Bittensor.Api.Tests;

/// <summary>Writes and preflights are limited per client address and per signer (windows long enough that timing cannot matter).</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Signer_OverItsLimit_Gets429NamingTheRule_OthersGoOn()
    {
        await using var factory = new SiloFactory(new Dictionary<string, string?> { ["Api:RateLimit:PerSigner"] = "3", ["Api:RateLimit:Window"] = "01:00:00" });
        using var http = factory.CreateClient();
        using var busy = KeyPair.Generate();
        using var other = KeyPair.Generate();
        for (int i = 0; i < 3; i++) Assert.Equal(200, await PreflightAsync(http, busy));
        Assert.Equal(429, await PreflightAsync(http, busy));
        var response = await PostAsync(http, "/api/transactions", busy);
        Assert.Equal(429, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("RateLimited", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(200, await PreflightAsync(http, other));
    }

    [Fact]
    public async Task Address_OverItsLimit_Gets429_ReadsGoOn()
    {
        await using var factory = new SiloFactory(new Dictionary<string, string?> { ["Api:RateLimit:PerIp"] = "2", ["Api:RateLimit:Window"] = "01:00:00" });
        using var http = factory.CreateClient();
        for (int i = 0; i < 2; i++) Assert.Equal(200, await PreflightAsync(http, KeyPair.Generate()));
        Assert.Equal(429, await PreflightAsync(http, KeyPair.Generate()));
        Assert.True((await http.GetAsync("/api/chain")).IsSuccessStatusCode);
    }

    private static async Task<int> PreflightAsync(HttpClient http, KeyPair key) => (int)(await PostAsync(http, "/api/transactions/preflight", key)).StatusCode;

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string route, KeyPair key) =>
        http.PostAsync(route, new StringContent(
            SignedTransaction.Create(key, Targets.Fixed("api-test"), 0, "faucet", new System.Text.Json.Nodes.JsonObject { ["amount"] = 1 }).ToJson(), Encoding.UTF8, "application/json"));
}
