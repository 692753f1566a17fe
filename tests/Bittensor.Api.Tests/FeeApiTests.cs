using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Runtime;

namespace Bittensor.Api.Tests;

/// <summary>
/// Transaction fees end to end over HTTP with subtensor's rate (issue 9): preflight quotes the fee, an applied
/// transaction's outcome and index entry name it, the chain reports it burned and the audit holds; a refused transaction
/// pays nothing; one that cannot pay its fee is refused 402 <c>CannotPayFee</c> and changes nothing.
/// </summary>
public sealed class FeeApiTests : IAsyncLifetime
{
    /// <summary>(ExtrinsicBaseWeight + transfer_keep_alive's weight) × 0.0005 rao (see <c>FeeTests.TheFeeTable_IsSubtensorsWeights</c>).</summary>
    private const ulong TransferFee = 143_971;

    private readonly SiloFactory _factory = new(new Dictionary<string, string?> { ["Chain:WeightFee"] = Fees.SubtensorWeightFee.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    private readonly KeyPair _alice = KeyPair.Generate(), _bob = KeyPair.Generate(), _poor = KeyPair.Generate();
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<SignedTransaction> Sign(KeyPair key, string call, JsonObject args)
    {
        ulong nonce = (await _http.GetFromJsonAsync<JsonElement>($"/api/accounts/{key.Address}")).GetProperty("nextNonce").GetUInt64();
        return SignedTransaction.Create(key, await Targets.OfAsync(_http), nonce, call, args);
    }

    private async Task<(int Status, JsonElement Body)> Post(SignedTransaction tx, string path = "/api/transactions")
    {
        var response = await _http.PostAsync(path, new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private async Task<ulong> Balance(KeyPair key) =>
        (await _http.GetFromJsonAsync<JsonElement>($"/api/accounts/{key.Address}")).GetProperty("balance").GetUInt64();

    private async Task<string> State() =>
        string.Join("\n", await _http.GetStringAsync("/api/chain"), await _http.GetStringAsync($"/api/accounts/{_alice.Address}"),
            await _http.GetStringAsync($"/api/accounts/{_bob.Address}"), await _http.GetStringAsync($"/api/accounts/{_poor.Address}"));

    [Fact]
    public async Task AppliedTransfer_PaysTheQuotedFee_WhichIsBurned_AndARefusedOnePaysNothing()
    {
        var (faucetStatus, faucet) = await Post(await Sign(_alice, "faucet", new JsonObject { ["amount"] = 10 * Tao.Rao }));
        Assert.Equal(200, faucetStatus);
        Assert.Equal(0UL, faucet.GetProperty("fee").GetUInt64()); // Pays::No
        var chain = await _http.GetFromJsonAsync<JsonElement>("/api/chain");
        Assert.Equal(Fees.SubtensorWeightFee, chain.GetProperty("weightFee").GetUInt64());
        ulong issuance = chain.GetProperty("totalIssuance").GetUInt64();

        var transfer = await Sign(_alice, "transfer", new JsonObject { ["dest"] = _bob.Address, ["amount"] = Tao.Rao });
        var (_, quote) = await Post(transfer, "/api/transactions/preflight");
        Assert.True(quote.GetProperty("ok").GetBoolean(), quote.ToString());
        Assert.Equal(TransferFee, quote.GetProperty("fee").GetUInt64());
        var (status, outcome) = await Post(transfer);
        Assert.Equal(200, status);
        Assert.Equal(TransferFee, outcome.GetProperty("fee").GetUInt64());
        Assert.Equal(10 * Tao.Rao - Tao.Rao - TransferFee, await Balance(_alice));
        Assert.Equal(Tao.Rao, await Balance(_bob));
        chain = await _http.GetFromJsonAsync<JsonElement>("/api/chain");
        Assert.Equal(TransferFee, chain.GetProperty("feesBurned").GetUInt64());
        Assert.Equal(issuance - TransferFee, chain.GetProperty("totalIssuance").GetUInt64()); // a stepped chain: no block in between
        var audit = await _http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.ToString());
        Assert.Equal(TransferFee, audit.GetProperty("tao").GetProperty("feesBurned").GetUInt64());
        var indexed = await Eventually.ValueAsync(async () =>
        {
            var response = await _http.GetAsync($"/api/transactions/{transfer.Hash}");
            if (response.StatusCode != HttpStatusCode.OK) return (JsonElement?)null;
            var found = await response.Content.ReadFromJsonAsync<JsonElement>();
            return found.GetProperty("status").GetString() == "applied" ? found : null;
        }, "the transfer indexed as applied");
        Assert.Equal(TransferFee, indexed.GetProperty("result").GetProperty("fee").GetUInt64());

        // Refused by its own rule: pays nothing, changes nothing.
        string before = await State();
        var (refusedStatus, refused) = await Post(await Sign(_alice, "transfer", new JsonObject { ["dest"] = _bob.Address, ["amount"] = 100 * Tao.Rao }));
        Assert.Equal(400, refusedStatus);
        Assert.Equal(Codes.InsufficientBalance, refused.GetProperty("type").GetString());
        Assert.Equal(before, await State());
    }

    [Fact]
    public async Task ATransactionThatCannotPayItsFee_IsRefused402_CannotPayFee_AndChangesNothing()
    {
        Assert.Equal(200, (await Post(await Sign(_poor, "faucet", new JsonObject { ["amount"] = TransferFee - 1 }))).Status);
        var transfer = await Sign(_poor, "transfer", new JsonObject { ["dest"] = _bob.Address, ["amount"] = 1 });
        var (_, quote) = await Post(transfer, "/api/transactions/preflight");
        Assert.False(quote.GetProperty("ok").GetBoolean());
        Assert.Equal(Codes.CannotPayFee, quote.GetProperty("failures")[0].GetProperty("code").GetString());
        string before = await State();
        var (status, problem) = await Post(transfer);
        Assert.Equal(402, status);
        Assert.Equal(Codes.CannotPayFee, problem.GetProperty("type").GetString());
        Assert.Equal(before, await State());
        Assert.Equal(TransferFee - 1, await Balance(_poor));
    }
}
