using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;
using Bittensor.Runtime;

namespace Bittensor.Api.Tests;

/// <summary>The read-only REST API over real HTTP (WebApplicationFactory with the silo inside).</summary>
public sealed class RestApiTests : IClassFixture<RestApiTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public SiloFactory Factory { get; } = new();
        public HttpClient Http { get; private set; } = null!;
        public ushort Netuid { get; private set; }

        public async ValueTask InitializeAsync()
        {
            Http = Factory.CreateClient();
            await Factory.Ok(new Faucet { Signer = "owner", Amount = 1_000 * Tao.Rao });
            Netuid = (await Factory.Ok(new RegisterNetwork { Signer = "owner", Hotkey = "owner-hot" })).Netuid!.Value;
            await Factory.Ok(new SetHyperparameter { Signer = "owner", Netuid = Netuid, Name = "weights_rate_limit", Value = "0" });
            foreach (var who in new[] { "val", "miner" })
            {
                await Factory.Ok(new Faucet { Signer = $"{who}-cold", Amount = 200 * Tao.Rao });
                await Factory.Ok(new BurnedRegister { Signer = $"{who}-cold", Netuid = Netuid, Hotkey = $"{who}-hot" });
            }
            await Factory.Ok(new AddStake { Signer = "val-cold", Hotkey = "val-hot", Netuid = Netuid, Amount = 100 * Tao.Rao });
            await Factory.Ok(new ServeAxon { Signer = "miner-hot", Netuid = Netuid, Ip = "127.0.0.1", Port = 9000, Name = "miner-honest-1" });
            await Factory.Chain.ProduceBlocksAsync(12);
            await Factory.Ok(new SetWeights { Signer = "val-hot", Netuid = Netuid, Uids = [2], Weights = [65535] });
            await Factory.Chain.ProduceBlocksAsync(24);
        }

        public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
    }

    private readonly Fixture _f;

    public RestApiTests(Fixture f) => _f = f;

    [Fact]
    public async Task Chain_ReportsClockSupplyAndHalving()
    {
        using var doc = JsonDocument.Parse(await _f.Http.GetStringAsync("/api/chain"));
        var c = doc.RootElement;
        Assert.Equal("api-test", c.GetProperty("chainId").GetString());
        Assert.True(c.GetProperty("block").GetUInt64() >= 36);
        Assert.True(c.GetProperty("totalIssuance").GetUInt64() > 1_000_000 * Tao.Rao);
        Assert.Equal(1_000_000_000UL, c.GetProperty("blockEmission").GetUInt64());
        Assert.Equal(10_500_000_000_000_000UL, c.GetProperty("nextHalvingIssuance").GetUInt64());
    }

    [Fact]
    public async Task Metagraph_HasTheContractShape()
    {
        using var doc = JsonDocument.Parse(await _f.Http.GetStringAsync($"/api/subnets/{_f.Netuid}/metagraph"));
        var root = doc.RootElement;
        Assert.Equal(_f.Netuid, root.GetProperty("netuid").GetUInt16());
        var neurons = root.GetProperty("neurons");
        Assert.Equal(3, neurons.GetArrayLength());
        foreach (var field in new[] { "uid", "hotkey", "coldkey", "stake", "stake_weight", "consensus", "incentive", "dividends", "emission", "validator_trust", "validator_permit", "active", "last_update", "block_at_registration", "axon" })
            Assert.True(neurons[0].TryGetProperty(field, out _), $"neuron lacks '{field}'");
        var miner = neurons.EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == "miner-hot");
        Assert.Equal(65535, miner.GetProperty("incentive").GetInt32());
        Assert.True(miner.GetProperty("stake").GetUInt64() > 0);
        Assert.Equal("miner-honest-1", miner.GetProperty("axon").GetProperty("name").GetString());
        var validator = neurons.EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == "val-hot");
        Assert.True(validator.GetProperty("validator_permit").GetBoolean());
        Assert.True(validator.GetProperty("dividends").GetInt32() > 0);
    }

    [Fact]
    public async Task Epochs_AreNewestFirst_AndEachCanBeReRun()
    {
        using var list = JsonDocument.Parse(await _f.Http.GetStringAsync($"/api/subnets/{_f.Netuid}/epochs?limit=3"));
        var epochs = list.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, epochs.Count);
        Assert.True(epochs[0].GetProperty("index").GetUInt64() > epochs[1].GetProperty("index").GetUInt64());
        ulong index = epochs[0].GetProperty("index").GetUInt64();

        using var one = JsonDocument.Parse(await _f.Http.GetStringAsync($"/api/subnets/{_f.Netuid}/epochs/{index}"));
        var epoch = one.RootElement;
        Assert.Equal(index, epoch.GetProperty("index").GetUInt64());
        var inputs = epoch.GetProperty("inputs");
        using var cases = JsonDocument.Parse($$"""{"schema":"yuma-epoch-cases/1","cases":[{{inputs.GetRawText()}}]}""");
        var run = EpochCaseRunner.Run(EpochCase.ReadDocument(cases.RootElement)[0], Arithmetic.Exact);
        var outputs = epoch.GetProperty("outputs");
        Assert.Equal(run.Steps[0].Result.Emission, outputs.GetProperty("emission").EnumerateArray().Select(e => e.GetUInt64()).ToArray());
        Assert.Equal(run.Steps[0].Result.Incentive, outputs.GetProperty("incentive").EnumerateArray().Select(e => (ushort)e.GetInt32()).ToArray());
        Assert.True(inputs.GetProperty("params").GetProperty("rao_emission").GetUInt64() > 0);
    }

    [Theory]
    [InlineData("/api/subnets/999", 404, "SubnetNotFound")]
    [InlineData("/api/subnets/999/metagraph", 404, "SubnetNotFound")]
    [InlineData("/api/subnets/999/epochs", 404, "SubnetNotFound")]
    [InlineData("/api/subnets/1/epochs/99999", 404, "EpochNotFound")]
    [InlineData("/api/subnets/1/epochs?limit=0", 400, "InvalidLimit")]
    [InlineData("/api/accounts/not%20valid!", 400, "InvalidAddress")]
    [InlineData("/api/subnets/999/quote?side=buy&amount=1000000000", 404, "SubnetNotFound")]
    [InlineData("/api/subnets/1/quote?side=hold&amount=1000000000", 400, "InvalidSide")]
    [InlineData("/api/subnets/1/quote?amount=1000000000", 400, "InvalidSide")]
    [InlineData("/api/subnets/1/quote?side=sell&amount=0", 400, "InvalidAmount")]
    [InlineData("/api/subnets/1/quote?side=sell&amount=-5", 400, "InvalidAmount")]
    [InlineData("/api/subnets/1/quote?side=buy&amount=18446744073709551616", 400, "InvalidAmount")]
    [InlineData("/api/subnets/1/quote?side=buy", 400, "InvalidAmount")]
    [InlineData("/api/subnets/999/children/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", 404, "SubnetNotFound")]
    [InlineData("/api/subnets/1/children/not%20valid!", 400, "InvalidAddress")]
    [InlineData("/api/delegates?limit=0", 400, "InvalidLimit")]
    [InlineData("/api/delegates?limit=201", 400, "InvalidLimit")]
    [InlineData("/api/delegates?offset=-1", 400, "InvalidOffset")]
    public async Task Errors_AreProblemJson(string path, int status, string type)
    {
        var response = await _f.Http.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, doc.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Quote_GivesWhatTheStakingCallsWouldGive_AndDelegatesListTakeStakeAndNominators()
    {
        var pool = (await _f.Http.GetFromJsonAsync<JsonElement>($"/api/subnets/{_f.Netuid}")).GetProperty("pool");
        var (tao, alpha) = (pool.GetProperty("tao").GetUInt64(), pool.GetProperty("alpha").GetUInt64());
        foreach (var (side, amount) in new[] { ("buy", 10 * Tao.Rao), ("sell", 3 * Tao.Rao), ("buy", ulong.MaxValue) })
        {
            var quote = await _f.Http.GetFromJsonAsync<JsonElement>($"/api/subnets/{_f.Netuid}/quote?side={side}&amount={amount}");
            var expected = SwapQuote.For(tao, alpha, side == "buy", amount);
            Assert.Equal(expected.AmountOut, quote.GetProperty("amountOut").GetUInt64());
            Assert.Equal(PoolMath.Fee(amount), quote.GetProperty("fee").GetUInt64());
            Assert.Equal(PoolMath.PriceRao(tao, alpha), quote.GetProperty("priceBefore").GetUInt64());
            Assert.Equal(side == "buy", quote.GetProperty("priceAfter").GetUInt64() > quote.GetProperty("priceBefore").GetUInt64());
            Assert.InRange(quote.GetProperty("priceImpact").GetDouble(), 1e-6, 1.0);
        }

        var page = await _f.Http.GetFromJsonAsync<JsonElement>("/api/delegates");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var delegates = page.GetProperty("delegates").EnumerateArray().ToList();
        Assert.Equal("val-hot", delegates[0].GetProperty("hotkey").GetString()); // the most stake first
        Assert.True(delegates.Zip(delegates.Skip(1)).All(p => p.First.GetProperty("totalStake").GetUInt64() >= p.Second.GetProperty("totalStake").GetUInt64()));
        Assert.Equal(HotkeyState.DefaultTake, delegates[0].GetProperty("take").GetUInt16());
        var onSubnet = delegates[0].GetProperty("subnets")[0];
        Assert.Equal(_f.Netuid, onSubnet.GetProperty("netuid").GetUInt16());
        Assert.Equal(1, onSubnet.GetProperty("nominators").GetInt32());
        Assert.Equal((await _f.Http.GetFromJsonAsync<JsonElement>("/api/hotkeys/val-hot")).GetProperty("stakes")[0].GetProperty("alpha").GetUInt64(),
            onSubnet.GetProperty("stake").GetUInt64());
        var second = await _f.Http.GetFromJsonAsync<JsonElement>("/api/delegates?limit=1&offset=1");
        Assert.Equal(delegates[1].GetProperty("hotkey").GetString(), Assert.Single(second.GetProperty("delegates").EnumerateArray()).GetProperty("hotkey").GetString());
        Assert.Empty((await _f.Http.GetFromJsonAsync<JsonElement>("/api/delegates?offset=3")).GetProperty("delegates").EnumerateArray());
    }

    [Fact]
    public async Task UnknownAccount_IsEmptyWithNonceZero()
    {
        var account = await _f.Http.GetFromJsonAsync<JsonElement>("/api/accounts/5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty");
        Assert.Equal(0UL, account.GetProperty("balance").GetUInt64());
        Assert.Equal(0UL, account.GetProperty("nextNonce").GetUInt64());
    }

    [Fact]
    public async Task Hotkey_ShowsOwnerRegistrationAndStake()
    {
        var hotkey = await _f.Http.GetFromJsonAsync<JsonElement>("/api/hotkeys/val-hot");
        Assert.Equal("val-cold", hotkey.GetProperty("owner").GetString());
        Assert.Equal(_f.Netuid, hotkey.GetProperty("registrations")[0].GetProperty("netuid").GetUInt16());
        Assert.True(hotkey.GetProperty("stakes")[0].GetProperty("alpha").GetUInt64() > 0);
    }

    [Fact]
    public async Task Audit_Holds()
    {
        var audit = await _f.Http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.ToString());
        Assert.True(audit.GetProperty("tao").GetProperty("ok").GetBoolean());
        Assert.NotEmpty(audit.GetProperty("subnets").EnumerateArray());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/swagger/index.html")]
    [InlineData("/dashboard/index.html")]
    public async Task OperatorPages_Answer(string path)
    {
        var response = await _f.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
