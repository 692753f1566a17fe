using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>A failed request: the server's code and sentence (or why the network could not be reached).</summary>
public sealed class NetworkException(string code, string message, ulong? nextAllowedBlock = null, bool transient = false) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    /// <summary>For <c>WeightsRateLimited</c>: the first block at which the call would pass.</summary>
    public ulong? NextAllowedBlock { get; } = nextAllowedBlock;

    /// <summary>No answer, or a server error (5xx): a write may or may not have been applied.</summary>
    public bool Transient { get; } = transient;
}

/// <summary>The REST API of a network: reads, and signed transactions with the signer's next nonce.</summary>
public sealed class NetworkClient(HttpClient http)
{
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        return await SendAsync(() => http.GetAsync(path, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The Server-Sent Events of <paramref name="path"/> as (id, event, data), resumed after <paramref name="lastEventId"/>
    /// when given; ends when the server closes the stream.
    /// </summary>
    public async IAsyncEnumerable<(string? Id, string? Event, string Data)> StreamAsync(string path, string? lastEventId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new NetworkException("Unreachable", $"cannot reach {http.BaseAddress}: {e.Message}", transient: true);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) await ReadAsync(response); // throws with the server's code
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            string? id = null, name = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null || data.Count > 0) yield return (id, name, string.Join('\n', data));
                    (id, name) = (null, null);
                    data.Clear();
                    continue;
                }
                if (line.StartsWith(':')) continue; // a keep-alive comment
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string field = colon < 0 ? line : line[..colon], value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                if (field == "id") id = value;
                else if (field == "event") name = value;
                else if (field == "data") data.Add(value);
            }
        }
    }

    /// <summary>Posts a JSON body (not a transaction: a what-if); returns the answer, or throws <see cref="NetworkException"/> with the server's code.</summary>
    public async Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken cancellationToken = default) =>
        await SendAsync(() => http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken), cancellationToken);

    /// <summary>Signs <paramref name="call"/> with the signer's next nonce on this network's chain and submits it; returns {block, result}.</summary>
    public async Task<JsonElement> SubmitAsync(KeyPair signer, string call, JsonObject args, string path = "/api/transactions") =>
        await SubmitAsync(await SignAsync(signer, call, args), path);

    /// <summary>Signs <paramref name="call"/> with the signer's next nonce on this network's chain.</summary>
    public async Task<SignedTransaction> SignAsync(KeyPair signer, string call, JsonObject args)
    {
        var chain = await GetAsync("/api/chain");
        var account = await GetAsync($"/api/accounts/{signer.Address}");
        return SignedTransaction.Create(signer, ChainTarget.FromChainJson(chain), account.GetProperty("nextNonce").GetUInt64(), call, args);
    }

    /// <summary>Every rule the transaction would break now: {ok, block, passesFromBlock, failures[{code, message}]}; changes nothing.</summary>
    public Task<JsonElement> PreflightAsync(SignedTransaction tx) => SubmitAsync(tx, "/api/transactions/preflight");

    /// <summary>Submits a signed transaction; returns {block, result}, or throws <see cref="NetworkException"/> with the server's code.</summary>
    public async Task<JsonElement> SubmitAsync(SignedTransaction tx, string path = "/api/transactions", CancellationToken cancellationToken = default)
    {
        return await SendAsync(() => http.PostAsync(path, new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"), cancellationToken), cancellationToken);
    }

    private async Task<JsonElement> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send();
            return await ReadAsync(response);
        }
        catch (HttpRequestException e)
        {
            throw new NetworkException("Unreachable", $"cannot reach {http.BaseAddress}: {e.Message}", transient: true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NetworkException("Timeout", $"{http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s", transient: true);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        bool transient = (int)response.StatusCode >= 500;
        if (response.IsSuccessStatusCode) return JsonDocument.Parse(text).RootElement.Clone();
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            string code = problem.TryGetProperty("type", out var t) ? t.GetString() ?? "Error" : "Error";
            string detail = problem.TryGetProperty("detail", out var d) && d.GetString() is { } s ? s
                : problem.TryGetProperty("title", out var ti) ? ti.GetString() ?? "" : "";
            ulong? nextAllowed = problem.TryGetProperty("nextAllowedBlock", out var next) && next.TryGetUInt64(out ulong n) ? n : null;
            if (nextAllowed is not null) detail += $" (next allowed block {nextAllowed})";
            throw new NetworkException(code, detail, nextAllowed, transient);
        }
        catch (JsonException)
        {
            throw new NetworkException($"Http{(int)response.StatusCode}", text.Length > 200 ? text[..200] : text, transient: transient);
        }
    }
}
