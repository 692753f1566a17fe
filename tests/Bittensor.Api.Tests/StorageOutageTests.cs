using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Runtime;

namespace Bittensor.Api.Tests;

/// <summary>
/// Azure Table storage (Azurite) stopped under a running chain while its clock tries 30 blocks: reads go on, writes answer 503 with Retry-After,
/// and when storage returns the chain resumes by itself — every acknowledged write present, none applied twice.
/// </summary>
public sealed class StorageOutageTests(PersistentAzuriteFixture azurite) : IClassFixture<PersistentAzuriteFixture>
{
    [Fact]
    public async Task AzuriteDown_PausesTheChain_AndItResumesByItself_WithNothingLost()
    {
        await using var silo = new SiloFactory(new Dictionary<string, string?>
        {
            ["Storage:Kind"] = "AzureTable",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Orleans:ClusterId"] = "outage-test",
            ["Chain:AutoStart"] = "true",
            ["Chain:BlockTime"] = "00:00:00.200",
        });
        var http = silo.CreateClient();
        await silo.Ok(new Faucet { Signer = "alice", Amount = 100 * Tao.Rao });
        ulong expectedBob = 0;
        for (int i = 0; i < 3; i++)
        {
            await silo.Ok(new Transfer { Signer = "alice", Dest = "bob", Amount = Tao.Rao });
            expectedBob += Tao.Rao;
        }
        await Eventually.UntilAsync(async () => (await Stats(http)).GetProperty("block").GetUInt64() >= 3, "blocks before the outage");

        await azurite.StopAsync();
        await Eventually.UntilAsync(async () => (await Stats(http)).GetProperty("paused").GetBoolean(), "the chain pausing");
        ulong pausedAt = (await Stats(http)).GetProperty("block").GetUInt64();
        // Writes: 503 with Retry-After, nothing applied. Reads: answered from what was stored.
        var refused = await silo.Chain.ExecuteAsync(new Transfer { Signer = "alice", Dest = "bob", Amount = Tao.Rao });
        Assert.Equal(Codes.StorageUnavailable, refused.Code);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/chain")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/accounts/bob")).StatusCode);
        // The outage lasts until the clock has tried to produce a due block, and held it back, 30 more times (each try
        // plans the block and fails to store it): an event count, not a wall-clock time, so a slow machine cannot cut it short.
        ulong heldAtPause = (await Stats(http)).GetProperty("blocksHeld").GetUInt64();
        await Eventually.UntilAsync(async () => (await Stats(http)).GetProperty("blocksHeld").GetUInt64() >= heldAtPause + 30, "30 due blocks held back",
            TimeSpan.FromSeconds(90));
        Assert.True((await Stats(http)).GetProperty("block").GetUInt64() <= pausedAt + 1, "no block is produced while storage is down");

        await azurite.StartAsync();
        await Eventually.UntilAsync(async () => !(await Stats(http)).GetProperty("paused").GetBoolean() && (await Stats(http)).GetProperty("block").GetUInt64() > pausedAt + 3,
            "production resuming by itself");
        await silo.Ok(new Transfer { Signer = "alice", Dest = "bob", Amount = Tao.Rao });
        expectedBob += Tao.Rao;
        var bob = await http.GetFromJsonAsync<JsonElement>("/api/accounts/bob");
        Assert.Equal(expectedBob, bob.GetProperty("balance").GetUInt64());
        var audit = await http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.ToString());
    }

    [Fact]
    public async Task SignedWrite_DuringTheOutage_Answers503WithRetryAfter()
    {
        await using var silo = new SiloFactory(new Dictionary<string, string?>
        {
            ["Storage:Kind"] = "AzureTable",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Orleans:ClusterId"] = "outage-http-test",
        });
        var alice = KeyPair.Generate();
        await silo.Ok(new Faucet { Signer = alice.Address, Amount = 10 * Tao.Rao });
        await silo.Chain.ProduceBlocksAsync(1);
        var transfer = SignedTransaction.Create(alice, await Targets.OfAsync(silo.Grains), 0, "transfer", new JsonObject { ["dest"] = KeyPair.Generate().Address, ["amount"] = Tao.Rao });
        await azurite.StopAsync();
        try
        {
            var response = await silo.CreateClient().PostAsync("/api/transactions", new StringContent(transfer.ToJson(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter is not null, "Retry-After is set");
            Assert.Contains("StorageUnavailable", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await azurite.StartAsync();
        }
    }

    private static async Task<JsonElement> Stats(HttpClient http) => await http.GetFromJsonAsync<JsonElement>("/api/chain/stats");
}
