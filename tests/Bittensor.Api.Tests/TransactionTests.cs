using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Api.Tests;

/// <summary>Writing to the network only through signed transactions, end to end over HTTP.</summary>
public sealed class TransactionTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();
    private HttpClient _http = null!;
    private readonly KeyPair _owner = KeyPair.Generate(), _ownerHot = KeyPair.Generate();
    private readonly KeyPair _validator = KeyPair.Generate(), _validatorHot = KeyPair.Generate();
    private readonly KeyPair _miner = KeyPair.Generate(), _minerHot = KeyPair.Generate();

    public ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<ulong> NonceOf(KeyPair key) =>
        (await _http.GetFromJsonAsync<JsonElement>($"/api/accounts/{key.Address}")).GetProperty("nextNonce").GetUInt64();

    private ChainTarget? _target;

    private async Task<ChainTarget> Target() => _target ??= await Targets.OfAsync(_http);

    private async Task<SignedTransaction> Sign(KeyPair key, string call, JsonObject args, ulong? nonce = null, ChainTarget? target = null) =>
        SignedTransaction.Create(key, target ?? await Target(), nonce ?? await NonceOf(key), call, args);

    private async Task<HttpResponseMessage> Post(string body, string path = "/api/transactions") =>
        await _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> Send(KeyPair key, string call, JsonObject args)
    {
        var response = await Post((await Sign(key, call, args)).ToJson());
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{call}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> Rejected(string body, int status, string code)
    {
        string before = await State();
        var response = await Post(body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("type").GetString());
        Assert.Equal(before, await State());
        return problem;
    }

    /// <summary>Everything a transaction could change (accounts with their nonces, subnets, the audit).</summary>
    private async Task<string> State()
    {
        var parts = new List<string>();
        foreach (var k in new[] { _owner, _ownerHot, _validator, _validatorHot, _miner, _minerHot })
            parts.Add(await _http.GetStringAsync($"/api/accounts/{k.Address}"));
        parts.Add(await _http.GetStringAsync("/api/subnets"));
        var audit = await _http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean());
        parts.Add(audit.GetProperty("tao").GetRawText());
        return string.Join("\n", parts);
    }

    private async Task<ushort> BuildSubnet()
    {
        await Send(_owner, "faucet", new JsonObject { ["amount"] = 1_000 * Tao.Rao });
        var created = await Send(_owner, "register_network", new JsonObject { ["hotkey"] = _ownerHot.Address });
        ushort netuid = created.GetProperty("result").GetProperty("netuid").GetUInt16();
        await Send(_owner, "set_hyperparameter", new JsonObject { ["netuid"] = netuid, ["name"] = "weights_rate_limit", ["value"] = 3 });
        foreach (var (cold, hot) in new[] { (_validator, _validatorHot), (_miner, _minerHot) })
        {
            await Send(cold, "faucet", new JsonObject { ["amount"] = 300 * Tao.Rao });
            await Send(cold, "burned_register", new JsonObject { ["netuid"] = netuid, ["hotkey"] = hot.Address });
        }
        await Send(_validator, "add_stake", new JsonObject { ["hotkey"] = _validatorHot.Address, ["netuid"] = netuid, ["amount"] = 100 * Tao.Rao });
        await _factory.Chain.ProduceBlocksAsync(12);
        return netuid;
    }

    [Fact]
    public async Task AUser_BuildsASubnet_AndSeesTheEpochsEmissionInTheMetagraph()
    {
        ushort netuid = await BuildSubnet();
        var response = await Send(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2), ["weights"] = new JsonArray(40000), ["version_key"] = 0 });
        Assert.True(response.GetProperty("block").GetUInt64() > 0);
        await Send(_minerHot, "serve_axon", new JsonObject { ["netuid"] = netuid, ["ip"] = "127.0.0.1", ["port"] = 8091, ["protocol"] = 4, ["version"] = 1, ["name"] = "miner-honest-0" });
        await Send(_validator, "set_take", new JsonObject { ["hotkey"] = _validatorHot.Address, ["take"] = 5000 });
        await Send(_miner, "transfer", new JsonObject { ["dest"] = _owner.Address, ["amount"] = Tao.Rao });
        await _factory.Chain.ProduceBlocksAsync(12);

        var metagraph = await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/metagraph");
        var miner = metagraph.GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == _minerHot.Address);
        Assert.Equal(65535, miner.GetProperty("incentive").GetInt32());
        Assert.True(miner.GetProperty("emission").GetUInt64() > 0);
        Assert.True(miner.GetProperty("stake").GetUInt64() > 0);
        Assert.Equal("miner-honest-0", miner.GetProperty("axon").GetProperty("name").GetString());
        Assert.Equal(3UL, await NonceOf(_owner)); // faucet, register_network, set_hyperparameter
        Assert.Equal(3UL, await NonceOf(_miner)); // faucet, burned_register, transfer
        var audit = await _http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Replays_AreAnsweredOnce_Forgeries_EditsAndWrongChains_AreRejected_WithoutConsumingTheNonce()
    {
        await Send(_owner, "faucet", new JsonObject { ["amount"] = 10 * Tao.Rao });
        var tx = await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = Tao.Rao });
        var first = await Post(tx.ToJson());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        string outcome = await first.Content.ReadAsStringAsync();
        // A replay (a client whose connection dropped, or anyone who saw it) gets the original outcome; nothing moves twice.
        var replay = await Post(tx.ToJson());
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(outcome, await replay.Content.ReadAsStringAsync());
        Assert.Equal(Tao.Rao, (await _http.GetFromJsonAsync<JsonElement>($"/api/accounts/{_miner.Address}")).GetProperty("balance").GetUInt64());
        Assert.Equal(2UL, await NonceOf(_owner));
        // The same call with the same nonce but another payload (here another mortality) is a different transaction: stale.
        await Rejected((await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = Tao.Rao }, nonce: 1,
            target: (await Target()) with { ValidUntil = (await Target()).ValidUntil + 1 })).ToJson(), 409, "StaleNonce");

        var next = await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = Tao.Rao });
        var forged = next with { Signature = next.Signature[..^2] + (next.Signature[^2..] == "00" ? "01" : "00") };
        await Rejected(forged.ToJson(), 401, "BadSignature");
        var edited = next with { Payload = next.Payload.Replace("\"amount\":1000000000", "\"amount\":9000000000", StringComparison.Ordinal) };
        Assert.NotEqual(next.Payload, edited.Payload);
        await Rejected(edited.ToJson(), 401, "BadSignature");
        var otherSigner = next with { Signer = _miner.Address };
        await Rejected(otherSigner.ToJson(), 401, "BadSignature");
        await Rejected((next with { Signer = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ" }).ToJson(), 401, "UnknownSigner");
        await Rejected((await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = 1 }, target: (await Target()) with { ChainId = "mainnet" })).ToJson(), 409, "WrongChain");
        // Same chain id, another deployment: the genesis hash tells them apart.
        await Rejected((await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = 1 }, target: Targets.Fixed("api-test"))).ToJson(), 409, "WrongChain");
        await Rejected((await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = 1 }, nonce: 99)).ToJson(), 409, "FutureNonce");
        // The untouched transaction still goes through with the nonce it was signed for.
        Assert.Equal(HttpStatusCode.OK, (await Post(next.ToJson())).StatusCode);
    }

    [Fact]
    public async Task Mortality_IsEnforced_AndTheIndexTellsWhereEachTransactionStands()
    {
        await Send(_owner, "faucet", new JsonObject { ["amount"] = 10 * Tao.Rao });
        await _factory.Chain.ProduceBlocksAsync(3);
        var chain = await _http.GetFromJsonAsync<JsonElement>("/api/chain");
        ulong block = chain.GetProperty("block").GetUInt64();
        Assert.True(Hashes.IsHex(chain.GetProperty("genesisHash").GetString(), 64));
        var target = await Target();
        JsonObject Pay(ulong amount) => new() { ["dest"] = _miner.Address, ["amount"] = amount };

        var expired = await Sign(_owner, "transfer", Pay(Tao.Rao), target: target with { ValidUntil = block - 1 });
        await Rejected(expired.ToJson(), 410, "TransactionExpired");
        await Rejected((await Sign(_owner, "transfer", Pay(Tao.Rao), target: target with { ValidUntil = block + ChainTarget.MaxMortality + 1 })).ToJson(), 400, "MortalityTooLong");
        var poor = await Sign(_owner, "transfer", Pay(1_000 * Tao.Rao), target: target with { ValidUntil = block });
        await Rejected(poor.ToJson(), 400, "InsufficientBalance");
        var paid = await Sign(_owner, "transfer", Pay(Tao.Rao), target: target with { ValidUntil = block }); // the last valid block
        Assert.Equal(HttpStatusCode.OK, (await Post(paid.ToJson())).StatusCode);

        async Task<JsonElement> Status(SignedTransaction tx, string state) => await Eventually.ValueAsync(async () =>
        {
            var response = await _http.GetAsync($"/api/transactions/{tx.Hash}");
            if (response.StatusCode == HttpStatusCode.NotFound) return (JsonElement?)null;
            var found = await response.Content.ReadFromJsonAsync<JsonElement>();
            return found.GetProperty("status").GetString() == state ? found : null;
        }, $"transaction {tx.Hash} {state}");
        var applied = await Status(paid, "applied");
        Assert.Equal(block, applied.GetProperty("block").GetUInt64());
        Assert.Equal(Tao.Rao, applied.GetProperty("result").GetProperty("amount").GetUInt64());
        Assert.Equal(_owner.Address, applied.GetProperty("signer").GetString());
        Assert.Equal("transfer", applied.GetProperty("call").GetString());
        Assert.Equal("TransactionExpired", (await Status(expired, "expired")).GetProperty("code").GetString());
        Assert.Equal("InsufficientBalance", (await Status(poor, "rejected")).GetProperty("code").GetString());

        // The paid transaction's block has passed its mortality; resubmitting it still answers its outcome, applied once.
        await _factory.Chain.ProduceBlocksAsync(2);
        var again = await Post(paid.ToJson());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(block, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("block").GetUInt64());
        Assert.Equal(Tao.Rao, (await _http.GetFromJsonAsync<JsonElement>($"/api/accounts/{_miner.Address}")).GetProperty("balance").GetUInt64());

        var unknown = await _http.GetAsync("/api/transactions/0x" + new string('a', 64));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("UnknownTransaction", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        foreach (string bad in new[] { "0x12", "abc", "0x" + new string('g', 64), "0x" + new string('a', 65), "%F0%9F%98%80" })
        {
            var response = await _http.GetAsync($"/api/transactions/{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("InvalidHash", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task RuleViolations_ReturnTheirCode_AndChangeNothing()
    {
        ushort netuid = await BuildSubnet();
        await Rejected((await Sign(_miner, "transfer", new JsonObject { ["dest"] = _owner.Address, ["amount"] = 10_000 * Tao.Rao })).ToJson(), 400, "InsufficientBalance");
        await Rejected((await Sign(_miner, "set_hyperparameter", new JsonObject { ["netuid"] = netuid, ["name"] = "kappa", ["value"] = "1" })).ToJson(), 403, "NotOwner");
        await Rejected((await Sign(_miner, "add_stake", new JsonObject { ["hotkey"] = _validatorHot.Address, ["netuid"] = netuid, ["amount"] = 1 })).ToJson(), 400, "AmountTooLow");
        await Rejected((await Sign(_minerHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(1), ["weights"] = new JsonArray(1) })).ToJson(), 400, "NoValidatorPermit");
        await Send(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2), ["weights"] = new JsonArray(1) });
        var limited = await Rejected((await Sign(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2), ["weights"] = new JsonArray(1) })).ToJson(), 400, "WeightsRateLimited");
        Assert.True(limited.GetProperty("nextAllowedBlock").GetUInt64() > 0);
        await Rejected((await Sign(_miner, "fly_to_moon", new JsonObject())).ToJson(), 400, "UnknownCall");
        await Rejected((await Sign(_miner, "transfer", new JsonObject { ["dest"] = "bob", ["amount"] = 1 })).ToJson(), 400, "InvalidArgs");
        await Rejected((await Sign(_miner, "transfer", new JsonObject { ["dest"] = _owner.Address, ["amount"] = -1 })).ToJson(), 400, "InvalidArgs");
        await Rejected("{not json", 400, "MalformedTransaction");
        await Rejected("""{"signer": 5, "payload": "{}"}""", 400, "MalformedTransaction");
        var huge = new string('x', TransactionsApi.MaxBody + 10);
        await Rejected($$"""{"signer":"{{_miner.Address}}","payload":"{{huge}}","signature":"0x00"}""", 413, "PayloadTooLarge");
    }

    [Fact]
    public async Task TimelockedCommit_OverRest_SealedToTheBeaconsRound_IsSetByTheChainWhenTheRoundIsOut()
    {
        ushort netuid = await BuildSubnet();
        await Send(_owner, "set_hyperparameter", new JsonObject { ["netuid"] = netuid, ["name"] = "commit_reveal_weights_enabled", ["value"] = true });
        var now = await _http.GetFromJsonAsync<JsonElement>("/api/beacon");
        ulong latest = now.GetProperty("latestRound").GetUInt64();
        Assert.True(Runtime.HashChainBeacon.Verify(now.GetProperty("anchor").GetString()!, latest, Convert.FromHexString(now.GetProperty("latestSecret").GetString()!)));
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/api/beacon?round={now.GetProperty("lastRound").GetUInt64() + 1}")).StatusCode);

        var clock = await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/commits/{_validatorHot.Address}");
        ulong round = clock.GetProperty("nextEpochBlock").GetUInt64() + 3; // a few blocks into the reveal epoch (one block per round)
        var beacon = await _http.GetFromJsonAsync<JsonElement>($"/api/beacon?round={round}");
        Assert.Equal(round, beacon.GetProperty("roundPublishedAt").GetUInt64());
        byte[] sealedWeights = TimelockCipher.Encrypt(Convert.FromHexString(beacon.GetProperty("publicKey").GetString()!), round,
            TimelockPayload.For(_validatorHot.Address, [2], [40000], 0).Encode());
        JsonObject Args(byte[] commit, ushort version) => new()
        {
            ["netuid"] = netuid, ["commit"] = "0x" + Convert.ToHexStringLower(commit), ["reveal_round"] = round, ["commit_reveal_version"] = version,
        };
        await Rejected((await Sign(_validatorHot, "commit_timelocked_weights", Args(sealedWeights, 3))).ToJson(), 400, "IncorrectCommitRevealVersion");
        await Rejected((await Sign(_validatorHot, "commit_timelocked_weights", Args(sealedWeights[..40], 4))).ToJson(), 400, "MalformedTimelockedCommit");
        var committed = await Send(_validatorHot, "commit_timelocked_weights", Args(sealedWeights, 4));
        ulong commitBlock = committed.GetProperty("block").GetUInt64();

        async Task<JsonElement> Validator() => (await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/metagraph"))
            .GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == _validatorHot.Address);
        async Task<ulong> Block() => (await _http.GetFromJsonAsync<JsonElement>("/api/chain")).GetProperty("block").GetUInt64();
        while (await Block() < round - 1) await _factory.Chain.ProduceBlocksAsync(1);
        Assert.DoesNotContain(await _factory.Grains.GetGrain<ISubnetGrain>(netuid).GetWeightsAsync(), r => r.Hotkey == _validatorHot.Address && r.Uids.Length > 0);
        await _factory.Chain.ProduceBlocksAsync(1);
        var row = Assert.Single(await _factory.Grains.GetGrain<ISubnetGrain>(netuid).GetWeightsAsync(), r => r.Hotkey == _validatorHot.Address);
        Assert.Equal([(ushort)2], row.Uids);
        Assert.Equal(commitBlock, (await Validator()).GetProperty("last_update").GetUInt64()); // set by the commit
    }

    [Fact]
    public async Task CommitReveal_OverRest_CommitsAHashAndRevealsTheWeightsInTheRevealEpoch()
    {
        ushort netuid = await BuildSubnet();
        await Send(_owner, "set_hyperparameter", new JsonObject { ["netuid"] = netuid, ["name"] = "commit_reveal_weights_enabled", ["value"] = true });
        var hyper = (await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}")).GetProperty("hyperparameters");
        Assert.True(hyper.GetProperty("commitRevealWeightsEnabled").GetBoolean());
        var direct = await Rejected((await Sign(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2), ["weights"] = new JsonArray(1) })).ToJson(),
            400, "CommitRevealEnabled");
        Assert.Contains("commit_weights", direct.GetProperty("detail").GetString());

        ushort[] uids = [2], values = [40000], salt = [3, 1, 4, 1, 5, 9, 2, 6];
        string hash = WeightCommitHash.Compute(_validatorHot.PublicKey, netuid, uids, values, salt, 0);
        var committed = await Send(_validatorHot, "commit_weights", new JsonObject { ["netuid"] = netuid, ["commit_hash"] = hash.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal) });
        ulong commitBlock = committed.GetProperty("block").GetUInt64();
        var view = await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/commits/{_validatorHot.Address}");
        var commit = view.GetProperty("commits").EnumerateArray().Single();
        Assert.Equal(hash, commit.GetProperty("hash").GetString());
        ulong revealEpoch = commit.GetProperty("revealEpoch").GetUInt64();
        Assert.Equal(view.GetProperty("epochIndex").GetUInt64() + 1, revealEpoch);

        JsonObject Reveal(ushort[] s) => new()
        {
            ["netuid"] = netuid, ["uids"] = new JsonArray([.. uids.Select(u => (JsonNode)u)]), ["values"] = new JsonArray([.. values.Select(v => (JsonNode)v)]),
            ["salt"] = new JsonArray([.. s.Select(v => (JsonNode)v)]), ["version_key"] = 0,
        };
        await Rejected((await Sign(_validatorHot, "reveal_weights", Reveal(salt))).ToJson(), 400, "RevealTooEarly");
        while ((await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}")).GetProperty("epochIndex").GetUInt64() < revealEpoch)
            await _factory.Chain.ProduceBlocksAsync(1);
        await Rejected((await Sign(_validatorHot, "reveal_weights", Reveal([3, 1, 4]))).ToJson(), 400, "InvalidRevealCommitHashNotMatch");
        await Send(_validatorHot, "reveal_weights", Reveal(salt));

        Assert.Empty((await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/commits/{_validatorHot.Address}")).GetProperty("commits").EnumerateArray());
        var metagraph = await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/metagraph");
        var validator = metagraph.GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == _validatorHot.Address);
        Assert.Equal(commitBlock, validator.GetProperty("last_update").GetUInt64()); // set by the commit, not by the reveal
        await _factory.Chain.ProduceBlocksAsync(12);
        metagraph = await _http.GetFromJsonAsync<JsonElement>($"/api/subnets/{netuid}/metagraph");
        var miner = metagraph.GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("hotkey").GetString() == _minerHot.Address);
        Assert.Equal(65535, miner.GetProperty("incentive").GetInt32());
    }

    [Fact]
    public async Task Preflight_ReportsEveryFailingRule_AndTheBlockItWouldPassFrom()
    {
        ushort netuid = await BuildSubnet();
        await Send(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2), ["weights"] = new JsonArray(1) });
        var tx = await Sign(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2, 2, 9, 1), ["weights"] = new JsonArray(1, 2) });
        string before = await State();
        var response = await Post(tx.ToJson(), "/api/transactions/preflight");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(report.GetProperty("ok").GetBoolean());
        var codes = report.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Equal(["WeightVecLengthMismatch", "TooManyUids", "WeightsRateLimited", "DuplicateUids", "UidNotFound"], codes);
        Assert.Equal(before, await State());

        // Unsigned, only rate-limited: it says from which block it would pass.
        var unsigned = await Sign(_validatorHot, "set_weights", new JsonObject { ["netuid"] = netuid, ["uids"] = new JsonArray(2), ["weights"] = new JsonArray(1) });
        var body = new JsonObject { ["signer"] = unsigned.Signer, ["payload"] = unsigned.Payload }.ToJsonString();
        var single = JsonDocument.Parse(await (await Post(body, "/api/transactions/preflight")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("WeightsRateLimited", single.GetProperty("failures")[0].GetProperty("code").GetString());
        ulong passes = single.GetProperty("passesFromBlock").GetUInt64();
        await _factory.Chain.ProduceBlocksAsync(3);
        var ok = JsonDocument.Parse(await (await Post(body, "/api/transactions/preflight")).Content.ReadAsStringAsync()).RootElement;
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.ToString());
        Assert.True(ok.GetProperty("block").GetUInt64() >= passes);
    }

    [Fact]
    public async Task Fuzz_RandomAndMutatedBodies_NeverGiveA5xx_AndTheAuditHolds()
    {
        await Send(_owner, "faucet", new JsonObject { ["amount"] = 50 * Tao.Rao });
        var rng = new Random(11);
        var valid = await Sign(_owner, "transfer", new JsonObject { ["dest"] = _miner.Address, ["amount"] = Tao.Rao });
        string seed = valid.ToJson();
        string[] calls = ["transfer", "faucet", "register_network", "burned_register", "add_stake", "remove_stake", "set_weights", "serve_axon", "set_hyperparameter", "set_take", "move_stake", "transfer_stake",
            "swap_stake_limit", "add_stake_limit", "remove_stake_limit", "unstake_all", "decrease_take", "nope"];
        var statuses = new Dictionary<int, int>();
        for (int i = 0; i < 2000; i++)
        {
            string body = (i % 4) switch
            {
                0 => Mutate(seed, rng),
                1 => RandomJson(rng),
                2 => SignedRandomCall(rng, calls),
                _ => new string((char)rng.Next(32, 127), rng.Next(0, 64)),
            };
            var response = await Post(body, i % 7 == 0 ? "/api/transactions/preflight" : "/api/transactions");
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{status} for {body[..Math.Min(body.Length, 300)]}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(statuses.Keys.Count >= 3, string.Join(", ", statuses));
        var audit = await _http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.ToString());
    }

    private static string Mutate(string s, Random rng)
    {
        var chars = s.ToCharArray();
        for (int k = rng.Next(1, 4); k > 0; k--) chars[rng.Next(chars.Length)] = (char)rng.Next(32, 127);
        return new string(chars);
    }

    private static string RandomJson(Random rng)
    {
        JsonNode? Value(int depth) => rng.Next(depth > 2 ? 4 : 6) switch
        {
            0 => JsonValue.Create(rng.NextInt64(-5, long.MaxValue)),
            1 => JsonValue.Create(new string('a', rng.Next(0, 70))),
            2 => JsonValue.Create(rng.Next(2) == 0),
            3 => null,
            4 => new JsonArray(Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Value(depth + 1)).ToArray()),
            _ => new JsonObject(Enumerable.Range(0, rng.Next(0, 4)).Select(k => KeyValuePair.Create(new[] { "signer", "payload", "signature", "chain", "nonce", "call", "args" }[rng.Next(7)] + (k == 0 ? "" : k.ToString()), Value(depth + 1)))),
        };
        return Value(0)?.ToJsonString() ?? "null";
    }

    private string SignedRandomCall(Random rng, string[] calls)
    {
        var key = new[] { _owner, _miner, _ownerHot }[rng.Next(3)];
        var args = new JsonObject
        {
            ["dest"] = rng.Next(2) == 0 ? _miner.Address : "x",
            ["hotkey"] = rng.Next(2) == 0 ? _ownerHot.Address : _minerHot.Address,
            ["amount"] = rng.Next(3) == 0 ? -1 : rng.NextInt64(0, 3 * (long)Tao.Rao),
            ["netuid"] = rng.Next(0, 4),
            ["uids"] = new JsonArray(rng.Next(0, 3), rng.Next(0, 70000)),
            ["weights"] = new JsonArray(rng.Next(0, 65536)),
            ["ip"] = rng.Next(2) == 0 ? "10.0.0.1" : "::zz",
            ["port"] = rng.Next(0, 70000),
            ["name"] = "tempo",
            ["value"] = rng.Next(0, 100000),
            ["take"] = rng.Next(0, 70000),
        };
        var tx = SignedTransaction.Create(key, rng.Next(5) == 0 ? _target! with { ChainId = "other" } : _target!, (ulong)rng.Next(0, 4), calls[rng.Next(calls.Length)], args);
        return tx.ToJson();
    }
}
