using System.Net;
using System.Text.Json;
using Bittensor.Grains;

namespace Bittensor.Api.Tests;

/// <summary>
/// The complete metagraph (alpha/TAO/total stake, the deprecated rank/trust/pruning score), weights and bonds as sparse
/// rows, field selection and paging, and reads at a past block of the retained window (<c>Chain:HistoryBlocks</c> = 50
/// here) for metagraphs, weights, bonds, accounts and hotkeys.
/// </summary>
public sealed class MetagraphHistoryTests : IClassFixture<MetagraphHistoryTests.Fixture>
{
    public const ulong HistoryBlocks = 50;

    public sealed class Fixture : IAsyncLifetime
    {
        public SiloFactory Factory { get; } = new(new Dictionary<string, string?> { ["Chain:HistoryBlocks"] = HistoryBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        public HttpClient Http { get; private set; } = null!;
        public ushort Netuid { get; private set; }
        /// <summary>Blocks: before the miner's faucet, after its registration, after the first weights, after the second weights.</summary>
        public ulong BeforeFaucet, Registered, FirstWeights, SecondWeights;
        public ulong BalanceAtRegistration;

        public async ValueTask InitializeAsync()
        {
            Http = Factory.CreateClient();
            await Factory.Chain.ProduceBlocksAsync(55); // block 0 leaves the window
            await Factory.Ok(new Faucet { Signer = "h-owner", Amount = 1_000 * Tao.Rao });
            Netuid = (await Factory.Ok(new RegisterNetwork { Signer = "h-owner", Hotkey = "h-owner-hot" })).Netuid!.Value;
            await Factory.Ok(new SetHyperparameter { Signer = "h-owner", Netuid = Netuid, Name = "weights_rate_limit", Value = "0" });
            await Factory.Chain.ProduceBlocksAsync(1);
            BeforeFaucet = (await Factory.Chain.GetInfoAsync()).Block;
            await Factory.Chain.ProduceBlocksAsync(1);
            foreach (var who in new[] { "h-val", "h-miner", "h-miner2" })
            {
                await Factory.Ok(new Faucet { Signer = $"{who}-cold", Amount = 2_000 * Tao.Rao });
                await Factory.Ok(new BurnedRegister { Signer = $"{who}-cold", Netuid = Netuid, Hotkey = $"{who}-hot" });
            }
            // Staked early and more than the owner's hotkey accrues from its cut, so that the validator's weights make consensus.
            await Factory.Ok(new AddStake { Signer = "h-val-cold", Hotkey = "h-val-hot", Netuid = Netuid, Amount = 1_500 * Tao.Rao });
            Registered = (await Factory.Chain.GetInfoAsync()).Block;
            BalanceAtRegistration = (await Factory.Grains.GetGrain<IAccountGrain>("h-val-cold").GetAsync()).Balance;
            await Factory.Chain.ProduceBlocksAsync(12); // an epoch gives the validator its permit
            await Factory.Ok(new SetWeights { Signer = "h-val-hot", Netuid = Netuid, Uids = [2], Weights = [65535] });
            FirstWeights = (await Factory.Chain.GetInfoAsync()).Block;
            await Factory.Chain.ProduceBlocksAsync(3);
            await Factory.Ok(new SetWeights { Signer = "h-val-hot", Netuid = Netuid, Uids = [2, 3], Weights = [100, 65535] });
            SecondWeights = (await Factory.Chain.GetInfoAsync()).Block;
            await Factory.Ok(new Faucet { Signer = "h-val-cold", Amount = 5 * Tao.Rao });
            await Factory.Chain.ProduceBlocksAsync(25); // two epochs (tempo 10): bonds, dividends, stake credits
        }

        public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
    }

    private readonly Fixture _f;

    public MetagraphHistoryTests(Fixture f) => _f = f;

    private async Task<JsonElement> Json(string path)
    {
        using var response = await _f.Http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task Problem(string path, HttpStatusCode status, string type)
    {
        using var response = await _f.Http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Equal(type, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Metagraph_HasAlphaTaoAndTotalStake_AndTheDeprecatedFieldsAsZero()
    {
        var neurons = (await Json($"/api/subnets/{_f.Netuid}/metagraph")).GetProperty("neurons");
        Assert.Equal(4, neurons.GetArrayLength());
        foreach (var n in neurons.EnumerateArray())
        {
            ulong stake = n.GetProperty("stake").GetUInt64();
            Assert.Equal(stake, n.GetProperty("alpha_stake").GetUInt64());
            Assert.Equal(0UL, n.GetProperty("tao_stake").GetUInt64()); // no root network yet
            Assert.Equal(stake, n.GetProperty("total_stake").GetUInt64()); // tao_weight = 0
            Assert.Equal(0, n.GetProperty("rank").GetInt32());
            Assert.Equal(0, n.GetProperty("trust").GetInt32());
            Assert.Equal(0, n.GetProperty("pruning_score").GetInt32());
        }
        Assert.True(neurons[1].GetProperty("alpha_stake").GetUInt64() > 0); // the validator staked
    }

    [Fact]
    public async Task Metagraph_EqualsTheSubnetsState_NeuronByNeuron()
    {
        // The published metagraph is rebuilt only for the neurons a change touched: it must still equal the roster.
        var state = await _f.Factory.Grains.GetGrain<ISubnetLedger>(_f.Netuid).GetStateAsync();
        var m = (await _f.Factory.Grains.GetGrain<ISubnetGrain>(_f.Netuid).GetMetagraphAsync())!;
        Assert.Equal(state.Neurons.Count, m.Neurons.Length);
        for (int uid = 0; uid < m.Neurons.Length; uid++)
        {
            var n = state.Neurons[uid];
            var v = m.Neurons[uid];
            Assert.Equal((n.Hotkey, n.Stake, n.LastUpdate, n.Incentive, n.Dividends, n.Emission, n.ValidatorPermit, n.BlockAtRegistration, n.Axon),
                (v.Hotkey, v.Stake, v.LastUpdate, v.Incentive, v.Dividends, v.Emission, v.ValidatorPermit, v.BlockAtRegistration, v.Axon));
        }
    }

    [Fact]
    public async Task Fields_TrimTheNeurons_AndPagesCoverEveryUidOnce()
    {
        var page = await Json($"/api/subnets/{_f.Netuid}/metagraph?fields=uid,alpha_stake&offset=1&limit=2");
        Assert.Equal(4, page.GetProperty("n").GetInt32());
        Assert.Equal(1, page.GetProperty("offset").GetInt32());
        var neurons = page.GetProperty("neurons").EnumerateArray().ToList();
        Assert.Equal([1, 2], neurons.Select(n => n.GetProperty("uid").GetInt32()));
        Assert.All(neurons, n => Assert.Equal(["uid", "alpha_stake"], n.EnumerateObject().Select(p => p.Name)));
        var uids = new List<int>();
        for (int offset = 0; offset < 4; offset += 3)
            uids.AddRange((await Json($"/api/subnets/{_f.Netuid}/metagraph?offset={offset}&limit=3")).GetProperty("neurons").EnumerateArray().Select(n => n.GetProperty("uid").GetInt32()));
        Assert.Equal([0, 1, 2, 3], uids);
    }

    [Theory]
    [InlineData("metagraph?fields=uid,nope", 400, "UnknownField")]
    [InlineData("metagraph?fields=", 400, "UnknownField")]
    [InlineData("metagraph?limit=0", 400, "InvalidLimit")]
    [InlineData("metagraph?limit=4097", 400, "InvalidLimit")]
    [InlineData("metagraph?offset=-1", 400, "InvalidOffset")]
    [InlineData("metagraph?block=abc", 400, "InvalidBlock")]
    [InlineData("metagraph?block=99999999", 400, "BlockNotProduced")]
    [InlineData("metagraph?block=0", 410, "BlockNotRetained")]
    [InlineData("weights?limit=257", 400, "InvalidLimit")]
    [InlineData("weights?block=99999999", 400, "BlockNotProduced")]
    [InlineData("bonds?block=0", 410, "BlockNotRetained")]
    public async Task BadQueries_AreRefused_NamingTheRule(string path, int status, string type) =>
        await Problem($"/api/subnets/{_f.Netuid}/{path}", (HttpStatusCode)status, type);

    [Fact]
    public async Task PastBlocksOutsideTheWindow_AreRefusedForAccountsAndHotkeysToo()
    {
        Assert.Equal(HistoryBlocks, (await Json("/api/chain")).GetProperty("historyBlocks").GetUInt64());
        await Problem("/api/accounts/h-val-cold?block=0", HttpStatusCode.Gone, "BlockNotRetained");
        await Problem("/api/hotkeys/h-val-hot?block=99999999", HttpStatusCode.BadRequest, "BlockNotProduced");
        await Problem("/api/subnets/999/metagraph", HttpStatusCode.NotFound, "SubnetNotFound");
    }

    [Fact]
    public async Task Weights_AreSparseRows_NowAndAtAPastBlock()
    {
        var now = await Json($"/api/subnets/{_f.Netuid}/weights");
        var row = now.GetProperty("rows").EnumerateArray().Single();
        Assert.Equal(1, row.GetProperty("uid").GetInt32());
        Assert.Equal("h-val-hot", row.GetProperty("hotkey").GetString());
        Assert.Equal([2, 3], row.GetProperty("uids").EnumerateArray().Select(u => u.GetInt32()));
        Assert.Equal([100, 65535], row.GetProperty("values").EnumerateArray().Select(u => u.GetInt32()));

        var past = await Json($"/api/subnets/{_f.Netuid}/weights?block={_f.FirstWeights}");
        Assert.Equal(_f.FirstWeights, past.GetProperty("block").GetUInt64());
        var old = past.GetProperty("rows").EnumerateArray().Single();
        Assert.Equal([2], old.GetProperty("uids").EnumerateArray().Select(u => u.GetInt32()));
        Assert.Empty((await Json($"/api/subnets/{_f.Netuid}/weights?block={_f.Registered}")).GetProperty("rows").EnumerateArray());
        Assert.Empty((await Json($"/api/subnets/{_f.Netuid}/weights?offset=2")).GetProperty("rows").EnumerateArray());

        // Bonds exist after the epochs, not before the first weights.
        Assert.NotEmpty((await Json($"/api/subnets/{_f.Netuid}/bonds")).GetProperty("rows").EnumerateArray());
        Assert.Empty((await Json($"/api/subnets/{_f.Netuid}/bonds?block={_f.Registered}")).GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task MetagraphAccountAndHotkey_AtAPastBlock_AreAsTheyWereThen()
    {
        var then = await Json($"/api/subnets/{_f.Netuid}/metagraph?block={_f.FirstWeights}");
        Assert.Equal(_f.FirstWeights, then.GetProperty("block").GetUInt64());
        var validator = then.GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == "h-val-hot");
        Assert.Equal(_f.FirstWeights, validator.GetProperty("last_update").GetUInt64());
        var now = (await Json($"/api/subnets/{_f.Netuid}/metagraph")).GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == "h-val-hot");
        Assert.Equal(_f.SecondWeights, now.GetProperty("last_update").GetUInt64());
        Assert.True(now.GetProperty("stake").GetUInt64() > validator.GetProperty("stake").GetUInt64()); // dividends since

        // Before the miners registered, the subnet had one neuron (the owner's).
        Assert.Equal(1, (await Json($"/api/subnets/{_f.Netuid}/metagraph?block={_f.BeforeFaucet}")).GetProperty("neurons").GetArrayLength());

        Assert.Equal(0UL, (await Json($"/api/accounts/h-val-cold?block={_f.BeforeFaucet}")).GetProperty("balance").GetUInt64());
        Assert.Equal(_f.BalanceAtRegistration, (await Json($"/api/accounts/h-val-cold?block={_f.Registered}")).GetProperty("balance").GetUInt64());
        Assert.Equal(_f.BalanceAtRegistration + 5 * Tao.Rao, (await Json("/api/accounts/h-val-cold")).GetProperty("balance").GetUInt64());

        Assert.Empty((await Json($"/api/hotkeys/h-val-hot?block={_f.BeforeFaucet}")).GetProperty("registrations").EnumerateArray());
        var staked = await Json($"/api/hotkeys/h-val-hot?block={_f.Registered}");
        Assert.Equal(_f.Netuid, staked.GetProperty("registrations").EnumerateArray().Single().GetProperty("netuid").GetUInt16());
    }
}
