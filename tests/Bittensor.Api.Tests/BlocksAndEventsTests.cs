using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Api.Tests;

/// <summary>Blocks, extrinsics and events over real HTTP: the block log, the event queries and the Server-Sent Events stream.</summary>
public sealed class BlocksAndEventsTests
{
    private static readonly string[] StakeKinds = ["StakeAdded", "StakeRemoved", "StakeMoved", "StakeTransferred", "StakeSwapped"];

    [Fact]
    public async Task EventStream_DeliversEveryEventOfA1000BlockRun_ExactlyOnce_AcrossAReconnectWithLastEventId()
    {
        await using var factory = new SiloFactory();
        using var http = factory.CreateClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        var (owner, ownerHot, alice, bob) = (Key(), Key(), Key(), Key());
        // The first stream starts before anything happens (after=0: from the first event).
        var first = await SseReader.OpenAsync(http, "/api/events/stream?after=0");
        var received = new List<long>();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            while (received.Count < 400 && await first.NextAsync(stop.Token) is { } m)
                lock (received) received.Add(long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture));
        });

        await factory.Ok(new Faucet { Signer = owner, Amount = 2_000 * Tao.Rao });
        await factory.Ok(new Faucet { Signer = alice, Amount = 5_000 * Tao.Rao });
        await factory.Ok(new Faucet { Signer = bob, Amount = 10 * Tao.Rao });
        var netuid = (await factory.Ok(new RegisterNetwork { Signer = owner, Hotkey = ownerHot })).Netuid!.Value;
        for (int block = 1; block <= 1000; block++)
        {
            await factory.Ok(new Transfer { Signer = block % 2 == 0 ? alice : bob, Dest = block % 2 == 0 ? bob : alice, Amount = 1_000 + (ulong)block });
            if (block % 5 == 0) await factory.Ok(new AddStake { Signer = alice, Hotkey = ownerHot, Netuid = netuid, Amount = Tao.Rao });
            if (block % 35 == 0) await factory.Ok(new RemoveStake { Signer = alice, Hotkey = ownerHot, Netuid = netuid, Amount = Tao.Rao / 2 });
            await factory.Chain.ProduceBlocksAsync(1);
            if (block == 500)
            {
                // Half way: the first client has read 400 events, then drops its connection.
                await reading.WaitAsync(Eventually.Deadline);
                await first.DisposeAsync();
            }
        }
        long lastId = (await http.GetFromJsonAsync<JsonElement>("/api/events?limit=1")).GetProperty("lastId").GetInt64();
        // 3 faucets, the subnet, 1,000 transfers, 200 stakes, 28 unstakes and an epoch every 10 blocks.
        Assert.True(lastId >= 1_332, $"a 1,000-block run has at least 1,332 events (has {lastId})");

        // The client reconnects with the last id it saw; it reads until the last event of the run.
        var resumed = await SseReader.OpenAsync(http, "/api/events/stream", lastEventId: received[^1]);
        using (var deadline = new CancellationTokenSource(Eventually.Deadline * 2))
            while (received[^1] < lastId && await resumed.NextAsync(deadline.Token) is { } m)
                received.Add(long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture));
        await resumed.DisposeAsync();

        // Exactly once, in order: ids 1..lastId, which are the ids the log serves.
        Assert.Equal(Enumerable.Range(1, (int)lastId).Select(i => (long)i), received);
        var all = await AllEvents(http, "");
        Assert.Equal(received, all.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(100, all.Count(e => e.GetProperty("kind").GetString() == "EpochCompleted"));
        Assert.Equal(1000, all.Count(e => e.GetProperty("kind").GetString() == "Transfer"));
    }

    [Fact]
    public async Task TransferAndStakeEvents_ReconcileWithAccountBalancesAndStakes()
    {
        // Tempo 1000: no epoch runs in this test, so stake moves only by the events below (epoch emission is paid as stake
        // without an event per nominator; EpochCompleted carries the totals).
        await using var factory = new SiloFactory(new Dictionary<string, string?> { ["Chain:NewSubnetTempo"] = "1000" });
        using var http = factory.CreateClient();
        var (owner, ownerHot, alice, bob, carol, minerHot) = (Key(), Key(), Key(), Key(), Key(), Key());
        await factory.Ok(new Faucet { Signer = owner, Amount = 1_000 * Tao.Rao });
        await factory.Ok(new Faucet { Signer = alice, Amount = 800 * Tao.Rao });
        await factory.Ok(new Faucet { Signer = bob, Amount = 50 * Tao.Rao });
        var netuid = (await factory.Ok(new RegisterNetwork { Signer = owner, Hotkey = ownerHot })).Netuid!.Value;
        await factory.Ok(new BurnedRegister { Signer = bob, Netuid = netuid, Hotkey = minerHot });
        for (int round = 0; round < 6; round++)
        {
            await factory.Ok(new Transfer { Signer = alice, Dest = bob, Amount = 3 * Tao.Rao + (ulong)round });
            await factory.Ok(new Transfer { Signer = bob, Dest = carol, Amount = Tao.Rao });
            await factory.Ok(new AddStake { Signer = alice, Hotkey = ownerHot, Netuid = netuid, Amount = 20 * Tao.Rao });
            await factory.Ok(new AddStake { Signer = bob, Hotkey = minerHot, Netuid = netuid, Amount = 2 * Tao.Rao });
            await factory.Ok(new RemoveStake { Signer = alice, Hotkey = ownerHot, Netuid = netuid, Amount = 5 * Tao.Rao });
            await factory.Ok(new MoveStake { Signer = alice, OriginHotkey = ownerHot, DestinationHotkey = minerHot, OriginNetuid = netuid, DestinationNetuid = netuid, AlphaAmount = Tao.Rao });
            await factory.Chain.ProduceBlocksAsync(3);
        }

        foreach (var account in new[] { owner, alice, bob, carol })
        {
            // Free balance = what the events credited minus what they debited, to the rao.
            long balance = 0;
            foreach (var e in await AllEvents(http, $"&account={account}"))
            {
                string kind = e.GetProperty("kind").GetString()!;
                bool from = Text(e, "coldkey") == account, to = Text(e, "destColdkey") == account;
                ulong tao = e.TryGetProperty("tao", out var t) ? t.GetUInt64() : 0;
                balance += kind switch
                {
                    "Faucet" => (long)tao,
                    "Transfer" => (to ? (long)tao : 0) - (from ? (long)tao : 0),
                    "StakeAdded" or "NeuronRegistered" or "NetworkAdded" when from => -(long)tao,
                    "StakeRemoved" when from => (long)tao,
                    _ => 0,
                };
            }
            var view = await http.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}");
            Assert.Equal(view.GetProperty("balance").GetUInt64(), (ulong)balance);
        }

        // Alice's alpha on the owner's hotkey: added − removed − moved away.
        long alpha = 0;
        foreach (var e in await AllEvents(http, $"&account={alice}&netuid={netuid}"))
        {
            if (Text(e, "hotkey") != ownerHot || !StakeKinds.Contains(e.GetProperty("kind").GetString())) continue;
            long amount = (long)e.GetProperty("alpha").GetUInt64();
            alpha += e.GetProperty("kind").GetString() == "StakeAdded" ? amount : -amount;
        }
        var hotkey = await http.GetFromJsonAsync<JsonElement>($"/api/hotkeys/{ownerHot}");
        ulong staked = hotkey.GetProperty("stakes").EnumerateArray()
            .Where(s => s.GetProperty("coldkey").GetString() == alice && s.GetProperty("netuid").GetUInt16() == netuid)
            .Select(s => s.GetProperty("alpha").GetUInt64()).SingleOrDefault();
        Assert.Equal(staked, (ulong)alpha);
        Assert.True((await http.GetFromJsonAsync<JsonElement>("/api/audit")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Blocks_ChainByParentHash_AndRecordExtrinsicsWithTheirOutcomes()
    {
        await using var factory = new SiloFactory();
        using var http = factory.CreateClient();
        var alice = KeyPair.Generate();
        var bob = Key();
        var target = await Targets.OfAsync(http);
        var applied = SignedTransaction.Create(alice, target, 0, "faucet", new JsonObject { ["amount"] = 10 * Tao.Rao });
        Assert.Equal(HttpStatusCode.OK, (await Post(http, applied)).StatusCode);
        var refused = SignedTransaction.Create(alice, target, 1, "transfer", new JsonObject { ["dest"] = bob, ["amount"] = 100 * Tao.Rao });
        Assert.False((await Post(http, refused)).IsSuccessStatusCode);
        ulong block = (await http.GetFromJsonAsync<JsonElement>("/api/chain")).GetProperty("block").GetUInt64();
        await factory.Chain.ProduceBlocksAsync(5);

        var page = await http.GetFromJsonAsync<JsonElement>($"/api/blocks?from={block}&limit=6");
        var blocks = page.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(6, blocks.Count);
        var head = blocks[0];
        Assert.Equal(block, head.GetProperty("number").GetUInt64());
        var extrinsics = head.GetProperty("extrinsics").EnumerateArray().ToList();
        Assert.Equal([applied.Hash, refused.Hash], extrinsics.Select(x => x.GetProperty("hash").GetString()));
        Assert.Equal([true, false], extrinsics.Select(x => x.GetProperty("ok").GetBoolean()));
        Assert.Equal(Runtime.Codes.InsufficientBalance, extrinsics[1].GetProperty("code").GetString());
        Assert.Equal(["faucet", "transfer"], extrinsics.Select(x => x.GetProperty("call").GetString()));
        var faucet = Assert.Single(head.GetProperty("events").EnumerateArray());
        Assert.Equal("Faucet", faucet.GetProperty("kind").GetString());
        Assert.Equal(0, faucet.GetProperty("extrinsic").GetInt32());
        for (int i = 1; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i - 1].GetProperty("hash").GetString(), blocks[i].GetProperty("parentHash").GetString());
            Assert.True(blocks[i].GetProperty("timestamp").GetDateTime() >= blocks[i - 1].GetProperty("timestamp").GetDateTime());
        }
        Assert.False(blocks[^1].GetProperty("sealed").GetBoolean()); // the head block is open: extrinsics still join it
        Assert.Equal(JsonValueKind.Null, blocks[^1].GetProperty("hash").ValueKind);
        var single = await http.GetFromJsonAsync<JsonElement>($"/api/blocks/{block}");
        Assert.Equal(head.GetProperty("hash").GetString(), single.GetProperty("hash").GetString());
        var ofBlock = await http.GetFromJsonAsync<JsonElement>($"/api/events?block={block}&kind=Faucet&account={alice.Address}");
        Assert.Equal(faucet.GetProperty("id").GetInt64(), Assert.Single(ofBlock.GetProperty("events").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/blocks/{block + 1000}")).StatusCode);
    }

    [Theory]
    [InlineData("/api/blocks/abc", "number")]
    [InlineData("/api/blocks/-1", "number")]
    [InlineData("/api/blocks?from=x", "from")]
    [InlineData("/api/blocks?limit=0", "limit")]
    [InlineData("/api/blocks?limit=101", "limit")]
    [InlineData("/api/events?block=-2", "block")]
    [InlineData("/api/events?kind=Nope", "kind")]
    [InlineData("/api/events?kind=", "kind")]
    [InlineData("/api/events?account=not%20an%20address!", "account")]
    [InlineData("/api/events/stream?account=%3Cscript%3E", "account")]
    [InlineData("/api/events?netuid=70000", "netuid")]
    [InlineData("/api/events?limit=1001", "limit")]
    [InlineData("/api/events?after=1e3", "after")]
    [InlineData("/api/events/stream?kind=Transfer,Nope", "kind")]
    [InlineData("/api/events/stream?netuid=-1", "netuid")]
    [InlineData("/api/events/stream?after=abc", "after")]
    public async Task BadQueryValues_Get400_NamingTheParameter(string url, string parameter)
    {
        await using var factory = new SiloFactory();
        using var http = factory.CreateClient();
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Contains(parameter, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventKinds_ListsEveryKindTheStreamNames_Sorted()
    {
        await using var factory = new SiloFactory();
        using var http = factory.CreateClient();
        var kinds = await http.GetFromJsonAsync<string[]>("/api/events/kinds");
        Assert.Equal(Bittensor.Runtime.EventKinds.All.Keys.Order(StringComparer.Ordinal), kinds);
        Assert.Contains("Transfer", kinds!);
        Assert.Contains("EpochCompleted", kinds!);
    }

    [Fact]
    public async Task BadLastEventIdHeader_Gets400_NamingIt()
    {
        await using var factory = new SiloFactory();
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/stream");
        request.Headers.Add("Last-Event-ID", "12x");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Last-Event-ID", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Retention_BoundsTheBlocksAndEventsKept_AndAResumeBeforeTheWindowIsToldOfTheGap()
    {
        await using var factory = new SiloFactory(new Dictionary<string, string?> { ["Chain:RetainBlocks"] = "30", ["Chain:BlockLogPageBlocks"] = "10" });
        using var http = factory.CreateClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        var (alice, bob) = (Key(), Key());
        await factory.Ok(new Faucet { Signer = alice, Amount = 100 * Tao.Rao });
        for (int i = 0; i < 200; i++)
        {
            await factory.Ok(new Transfer { Signer = alice, Dest = bob, Amount = Tao.Rao / 100 });
            await factory.Chain.ProduceBlocksAsync(1);
        }
        var page = await http.GetFromJsonAsync<JsonElement>("/api/blocks?from=0&limit=100");
        ulong firstBlock = page.GetProperty("firstBlock").GetUInt64(), headBlock = page.GetProperty("headBlock").GetUInt64();
        Assert.InRange(headBlock - firstBlock + 1, 30UL, 40UL); // the window, plus at most one page being filled
        Assert.Equal((int)(headBlock - firstBlock + 1), page.GetProperty("blocks").GetArrayLength());
        var gone = await http.GetAsync("/api/blocks/1");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("RetainBlocks", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        var events = await http.GetFromJsonAsync<JsonElement>("/api/events?limit=1000");
        Assert.True(events.GetProperty("firstId").GetInt64() > 150, "events of dropped blocks are dropped with them");
        Assert.InRange(events.GetProperty("events").GetArrayLength(), 30, 41);

        // A client resuming from an id the log no longer keeps is told which ids it lost, then gets the rest.
        await using var stream = await SseReader.OpenAsync(http, "/api/events/stream", lastEventId: 5);
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        var gap = await stream.NextAsync(deadline.Token);
        Assert.Equal("gap", gap!.Event);
        Assert.Equal(6, JsonDocument.Parse(gap.Data).RootElement.GetProperty("from").GetInt64());
        var next = await stream.NextAsync(deadline.Token);
        Assert.Equal(events.GetProperty("firstId").GetInt64(), long.Parse(next!.Id!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Key() => KeyPair.Generate().Address;

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static Task<HttpResponseMessage> Post(HttpClient http, SignedTransaction tx) =>
        http.PostAsync("/api/transactions", new StringContent(tx.ToJson(), System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Every event matching <paramref name="query"/> (query string after the paging), following <c>next</c>.</summary>
    private static async Task<List<JsonElement>> AllEvents(HttpClient http, string query)
    {
        var all = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/events?after={after}&limit=1000{query}");
            all.AddRange(page.GetProperty("events").EnumerateArray());
            long next = page.GetProperty("next").GetInt64();
            if (next >= page.GetProperty("lastId").GetInt64() || next == after) return all;
            after = next;
        }
    }
}
