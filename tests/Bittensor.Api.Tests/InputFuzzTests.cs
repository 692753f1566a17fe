using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bittensor.Keys;
using Microsoft.Extensions.DependencyInjection;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor.Api.Tests;

/// <summary>
/// No input gives a 5xx: full-Unicode text (lone surrogates, non-ASCII in address fields, control characters, very long
/// strings), numbers at and past every integer width, deep and wide JSON, on every route and inside signed payloads. Each
/// refusal is problem+json naming the rule; the audit holds afterwards.
/// </summary>
public sealed class InputFuzzTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>JSON string literals (escapes included, quotes excluded) that have broken text handling somewhere.</summary>
    private static readonly string[] Texts =
    [
        @"\ud800", @"\udfff", @"a\udc00b", @"\ud800\ud800", string.Concat(Enumerable.Repeat("é", 48)), string.Concat(Enumerable.Repeat("𝔸", 24)),
        @"\u0000", @"\u001f\u0007\n\t", "\u202e5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM69é4ty",
        new string('a', 200_000), "😀", "", " ", "0x" + new string('z', 128), "0x" + new string('é', 128),
    ];

    private static readonly string[] Numbers =
    [
        "-1", "0", "255", "256", "65535", "65536", "4294967295", "4294967296", "9223372036854775807", "18446744073709551615",
        "18446744073709551616", "-9223372036854775809", "1e400", "-0", "1.5", "1e3", "99999999999999999999999999999999999999",
    ];

    private static readonly string[] Fields =
        ["netuid", "hotkey", "dest", "amount", "uids", "weights", "ip", "port", "name", "value", "take", "protocol", "version", "version_key", "limit_price", "allow_partial"];

    [Fact]
    public async Task EveryRoute_AnyText_AnyNumber_NoServerError()
    {
        var paths = new List<string>();
        foreach (string t in Texts.Where(t => t.Length < 1000 && !t.Contains(@"\u0000", StringComparison.Ordinal))) // HTTP clients cannot send NUL in a path
        {
            string seg = Uri.EscapeDataString(Unescape(t));
            paths.AddRange([$"/api/accounts/{seg}", $"/api/hotkeys/{seg}", $"/api/subnets/{seg}", $"/api/subnets/{seg}/metagraph",
                $"/api/subnets/1/quote?side={seg}&amount={seg}", $"/api/subnets/{seg}/quote?side=buy&amount=1", $"/api/delegates?limit={seg}&offset={seg}"]);
        }
        foreach (string n in Numbers)
            paths.AddRange([$"/api/subnets/{n}", $"/api/subnets/{n}/epochs?limit={n}", $"/api/subnets/0/epochs/{n}", $"/api/subnets/{n}/metagraph",
                $"/api/subnets/{n}/quote?side=sell&amount={n}", $"/api/subnets/1/quote?side=buy&amount={n}", $"/api/delegates?limit={n}&offset={n}"]);
        paths.AddRange(["/api/accounts/%ED%A0%80", "/api/hotkeys/%FF%FE", "/api/accounts/" + new string('a', 4000)]);
        foreach (string path in paths)
        {
            var response = await _http.GetAsync(path);
            Assert.True((int)response.StatusCode < 500, $"GET {path[..Math.Min(80, path.Length)]}: {(int)response.StatusCode}");
        }
        await AssertAuditHoldsAsync();
    }

    /// <summary>
    /// Every route the API maps (found from the running host's endpoints, so a new route is covered the day it is added):
    /// each route parameter and each query parameter its handler takes gets every fuzz value — all at once, and one at a
    /// time beside valid values — and a POST route also gets fuzz bodies. No answer is a 5xx, and every 4xx is problem+json
    /// naming the rule.
    /// </summary>
    [Fact]
    public async Task EveryMappedRoute_AnyTextOrNumber_InEachParameterAndBody_No5xx_And4xxNameTheRule()
    {
        var endpoints = _factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api", StringComparison.Ordinal)).ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/subnets/{netuid}/whatif");
        // Subnet 1 exists, with an owner, so "1" in a route reaches the handlers' own checks (and what-if bodies are parsed).
        await _factory.Ok(new Faucet { Signer = "fuzz-owner", Amount = 2_000 * Tao.Rao });
        Assert.Equal((ushort)1, (await _factory.Ok(new RegisterNetwork { Signer = "fuzz-owner", Hotkey = "fuzz-owner-hot" })).Netuid);
        string[] values = [.. Texts.Where(t => t.Length < 1000 && !t.Contains(@"\u0000", StringComparison.Ordinal)).Select(t => Uri.EscapeDataString(Unescape(t))),
            .. Numbers.Select(Uri.EscapeDataString), "%FF%FE", "%ED%A0%80", new string('7', 400)];
        string[] bodies = ["", "null", "[]", "{}", "\"x\"", "1e400", new string('[', 5000) + new string(']', 5000),
            "{\"hyperparameters\": {\"kappa\": 18446744073709551616}}", "{\"weights\": {\"1\": [[65536, -1]]}, \"epochs\": 1e9}",
            "{\"hyperparameters\": [], \"weights\": \"\\ud800\"}", "{\"epochs\": 1, \"epochs\": 2}"];
        int requests = 0;
        var answered = new HashSet<(string Route, int Status)>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern;
            string[] methods = [.. endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]];
            if (pattern.RawText is "/api/transactions" or "/api/transactions/preflight") continue; // signed bodies: the tests below
            var routeNames = pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var queryNames = (endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters() ?? [])
                .Where(p => p.Name is not null && !routeNames.Contains(p.Name) && IsQueryType(p.ParameterType)).Select(p => p.Name!).ToArray();
            string Path(Func<string, string> route, Func<string, string> query)
            {
                string path = pattern.RawText!;
                foreach (string name in routeNames) path = path.Replace("{" + name + "}", route(name), StringComparison.Ordinal);
                return queryNames.Length == 0 ? path : path + "?" + string.Join("&", queryNames.Select(q => $"{q}={query(q)}"));
            }
            var paths = new List<string>();
            foreach (string v in values)
            {
                paths.Add(Path(_ => v, _ => v));
                foreach (string name in routeNames) paths.Add(Path(r => r == name ? v : "1", _ => "1"));
                foreach (string name in queryNames) paths.Add(Path(_ => "1", q => q == name ? v : "1"));
            }
            foreach (string method in methods)
                foreach (string path in paths.Distinct())
                    foreach (string? body in method != "POST" ? NoBody : path == paths[0] || path.Contains("/1/", StringComparison.Ordinal) ? bodies : ["{}"])
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method), path);
                        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead); // the event stream answers headers, then streams
                        requests++;
                        int status = (int)response.StatusCode;
                        answered.Add((pattern.RawText!, status));
                        string shown = $"{method} {path[..Math.Min(100, path.Length)]} {body?[..Math.Min(40, body.Length)]}";
                        Assert.True(status < 500, $"{shown}: {status}");
                        if (status is >= 400 and not 429)
                        {
                            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{shown}: {status} without problem+json");
                            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                            Assert.False(string.IsNullOrEmpty(doc.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null), $"{shown}: {status} names no rule");
                        }
                    }
        }
        Assert.True(requests > 2000, $"only {requests} requests");
        // The fuzz reached the handlers' own rules, not only routing: bad what-if bodies and event filters were refused.
        Assert.Contains(("/api/subnets/{netuid}/whatif", 400), answered);
        Assert.Contains(("/api/events", 400), answered);
        Assert.Contains(("/api/subnets/{netuid}", 200), answered);
        await AssertAuditHoldsAsync();
    }

    private static readonly string?[] NoBody = [null];

    private static bool IsQueryType(Type t) =>
        (Nullable.GetUnderlyingType(t) ?? t) is var u && (u == typeof(string) || u.IsPrimitive || u == typeof(decimal));

    [Fact]
    public async Task TransactionBodies_AnyText_DeepAndWideJson_AreRefusedWith4xx()
    {
        var bodies = new List<string>();
        foreach (string t in Texts)
        {
            bodies.Add($$"""{"signer":"{{t}}","payload":"{}","signature":null}""");
            bodies.Add($$"""{"signer":"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty","payload":"{{t}}","signature":"{{t}}"}""");
        }
        foreach (string n in Numbers) bodies.Add($$"""{"signer":{{n}},"payload":{{n}},"signature":{{n}}}""");
        bodies.Add(new string('[', 100_000) + new string(']', 100_000));
        bodies.Add("{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":{i}")) + "}");
        bodies.Add("""{"signer":"a","signer":"b","payload":"{}"}""");
        bodies.AddRange(["", "null", "[]", "\"x\"", "{", "\u0000", "{\"signer\":\"\\ud800\"}"]);
        foreach (string body in bodies)
            foreach (string route in new[] { "/api/transactions", "/api/transactions/preflight" })
                await AssertRefusedAsync(route, body);
        await AssertAuditHoldsAsync();
    }

    [Fact]
    public async Task SignedPayloads_AnyFieldValue_AreRefusedWith4xxNamingTheRule()
    {
        using var key = KeyPair.Generate();
        var values = Texts.Where(t => t.Length < 1000).Select(t => $"\"{t}\"").Concat(Numbers)
            .Concat(["null", "true", "[]", "{}", "[" + string.Join(",", Numbers) + "]", new string('[', 15) + new string(']', 15)]).ToList();
        int requests = 0;
        foreach (string call in Calls.Names)
            foreach (string field in Fields)
                foreach (string value in values)
                {
                    string payload = await CompleteAsync($$$"""{"chain":"api-test","nonce":0,"call":"{{{call}}}","args":{"{{{field}}}":{{{value}}}}}""");
                    var response = await PostSignedAsync(key, payload, requests++ % 2 == 0 ? "/api/transactions" : "/api/transactions/preflight");
                    Assert.True((int)response.StatusCode < 500, $"{call}.{field}={value[..Math.Min(40, value.Length)]}: {(int)response.StatusCode}");
                }
        foreach (string payload in Texts.Select(t => $$$"""{"chain":"{{{t}}}","nonce":0,"call":"{{{t}}}","args":{}}""")
            .Concat(Numbers.Select(n => $$$"""{"chain":"api-test","nonce":{{{n}}},"call":"transfer","args":{}}"""))
            .Concat(Numbers.Select(n => $$$"""{"chain":"api-test","genesis":{{{n}}},"nonce":0,"valid_until":{{{n}}},"call":"transfer","args":{}}""")))
            await AssertRefusedAsync("/api/transactions", Body(key, await CompleteAsync(payload)));
        await AssertAuditHoldsAsync();
    }

    [Theory]
    [InlineData("""{"chain":"api-test","nonce":0,"nonce":1,"call":"faucet","args":{"amount":1}}""", "MalformedTransaction", "nonce")]
    [InlineData("""{"chain":"api-test","nonce":0,"call":"faucet","args":{"amount":1,"amount":1000000}}""", "MalformedTransaction", "amount")]
    [InlineData("""{"chain":"api-test","nonce":0,"call":"faucet","args":{"amount":1},"tip":5}""", "MalformedTransaction", "payload.tip")]
    [InlineData("""{"chain":"api-test","nonce":0,"call":"transfer","args":{"dest":"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty","amount":1,"ammount":2}}""", "InvalidArgs", "args.ammount")]
    [InlineData("""{"chain":"api-test","nonce":0,"call":"serve_axon","args":{"netuid":1,"ip":"1.2.3.4","port":1,"protocol":256}}""", "InvalidArgs", "args.protocol")]
    [InlineData("""{"chain":"api-test","nonce":0,"call":"serve_axon","args":{"netuid":1,"ip":"1.2.3.4","port":1,"version":4294967296}}""", "InvalidArgs", "args.version")]
    [InlineData("""{"chain":"api-test","nonce":0,"call":"transfer","args":{"dest":"\ud800","amount":1}}""", "InvalidArgs", "args.dest")]
    // Payloads that name the chain only by id, or carry no mortality (not completed: "nonce" comes first).
    [InlineData("""{"nonce":0,"chain":"api-test","valid_until":100,"call":"faucet","args":{"amount":1}}""", "MalformedTransaction", "payload.genesis")]
    [InlineData("""{"nonce":0,"chain":"api-test","genesis":"0x00","call":"faucet","args":{"amount":1}}""", "MalformedTransaction", "payload.valid_until")]
    [InlineData("""{"nonce":0,"chain":"api-test","genesis":"0x00","valid_until":18446744073709551616,"call":"faucet","args":{"amount":1}}""", "MalformedTransaction", "payload.valid_until")]
    [InlineData("""{"nonce":0,"chain":"api-test","genesis":"0x00","valid_until":-1,"call":"faucet","args":{"amount":1}}""", "MalformedTransaction", "payload.valid_until")]
    public async Task DuplicateKeys_UnknownFields_OutOfRange_AreRefusedNamingTheField(string payload, string code, string field)
    {
        using var key = KeyPair.Generate();
        var response = await PostSignedAsync(key, await CompleteAsync(payload), "/api/transactions");
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(400, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(code, doc.RootElement.GetProperty("type").GetString());
        Assert.Contains(field, doc.RootElement.GetProperty("detail").GetString());
        Assert.Equal(0UL, (await _http.GetFromJsonAsync<JsonElement>($"/api/accounts/{key.Address}")).GetProperty("balance").GetUInt64());
    }

    [Fact]
    public async Task DuplicateKeysInTheBody_AreRefused()
    {
        using var key = KeyPair.Generate();
        var tx = SignedTransaction.Create(key, Targets.Fixed("api-test"), 0, "faucet", new System.Text.Json.Nodes.JsonObject { ["amount"] = 1 });
        string body = $$"""{"signer":"{{tx.Signer}}","payload":{{JsonSerializer.Serialize(tx.Payload)}},"signature":"{{tx.Signature}}","signature":"0x00"}""";
        var response = await _http.PostAsync("/api/transactions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("MalformedTransaction", await response.Content.ReadAsStringAsync());
    }

    private ChainTarget? _target;

    /// <summary>
    /// Names the test chain's genesis and a mortality in a payload that begins <c>{"chain":"api-test",</c>, so the rule
    /// under test is the one refused; other payloads are left as written.
    /// </summary>
    private async Task<string> CompleteAsync(string payload)
    {
        const string head = "{\"chain\":\"api-test\",";
        if (!payload.StartsWith(head, StringComparison.Ordinal)) return payload;
        _target ??= await Targets.OfAsync(_http);
        return head + $"\"genesis\":\"{_target.GenesisHash}\",\"valid_until\":{_target.ValidUntil}," + payload[head.Length..];
    }

    private async Task<HttpResponseMessage> PostSignedAsync(KeyPair key, string payload, string route) =>
        await _http.PostAsync(route, new StringContent(Body(key, payload), Encoding.UTF8, "application/json"));

    /// <summary>The body for <paramref name="payload"/> (JSON text, escapes kept as written) signed over its UTF-8 bytes.</summary>
    private static string Body(KeyPair key, string payload)
    {
        string signature = "0x" + Convert.ToHexString(key.Sign(Encoding.UTF8.GetBytes(payload))).ToLowerInvariant();
        var escaped = new StringBuilder();
        foreach (char c in payload)
            escaped.Append(c switch { '"' => "\\\"", '\\' => "\\\\", < ' ' => $"\\u{(int)c:x4}", _ => c.ToString() });
        return $$"""{"signer":"{{key.Address}}","payload":"{{escaped}}","signature":"{{signature}}"}""";
    }

    private async Task AssertRefusedAsync(string route, string body)
    {
        var response = await _http.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
        int status = (int)response.StatusCode;
        string head = body[..Math.Min(60, body.Length)];
        Assert.True(status < 500, $"POST {route} {head}: {status}");
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("type").GetString()), $"POST {route} {head}: no rule named");
        }
    }

    private async Task AssertAuditHoldsAsync() =>
        Assert.True((await _http.GetFromJsonAsync<JsonElement>("/api/audit")).GetProperty("ok").GetBoolean());

    /// <summary>The text a JSON string literal stands for (lone surrogate escapes included).</summary>
    private static string Unescape(string literal) => System.Text.RegularExpressions.Regex.Unescape(literal.Replace("\\u", "\\u", StringComparison.Ordinal));
}
