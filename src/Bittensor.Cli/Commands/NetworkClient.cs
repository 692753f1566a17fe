using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>A failed request: the server's code and sentence (or why the network could not be reached).</summary>
public sealed class NetworkException(string code, string message, ulong? nextAllowedBlock = null) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    /// <summary>For <c>WeightsRateLimited</c>: the first block at which the call would pass.</summary>
    public ulong? NextAllowedBlock { get; } = nextAllowedBlock;
}

/// <summary>The REST API of a network: reads, and signed transactions with the signer's next nonce.</summary>
public sealed class NetworkClient(HttpClient http)
{
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new NetworkException("Unreachable", $"cannot reach {http.BaseAddress}: {e.Message}");
        }
        return await ReadAsync(response);
    }

    /// <summary>Signs <paramref name="call"/> with the signer's next nonce on this network's chain and submits it; returns {block, result}.</summary>
    public async Task<JsonElement> SubmitAsync(KeyPair signer, string call, JsonObject args, string path = "/api/transactions")
    {
        var chain = await GetAsync("/api/chain");
        var account = await GetAsync($"/api/accounts/{signer.Address}");
        var tx = SignedTransaction.Create(signer, chain.GetProperty("chainId").GetString()!, account.GetProperty("nextNonce").GetUInt64(), call, args);
        return await SubmitAsync(tx, path);
    }

    /// <summary>Submits a signed transaction; returns {block, result}, or throws <see cref="NetworkException"/> with the server's code.</summary>
    public async Task<JsonElement> SubmitAsync(SignedTransaction tx, string path = "/api/transactions", CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(path, new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new NetworkException("Unreachable", $"cannot reach {http.BaseAddress}: {e.Message}");
        }
        return await ReadAsync(response);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode) return JsonDocument.Parse(text).RootElement.Clone();
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            string code = problem.TryGetProperty("type", out var t) ? t.GetString() ?? "Error" : "Error";
            string detail = problem.TryGetProperty("detail", out var d) && d.GetString() is { } s ? s
                : problem.TryGetProperty("title", out var ti) ? ti.GetString() ?? "" : "";
            ulong? nextAllowed = problem.TryGetProperty("nextAllowedBlock", out var next) && next.TryGetUInt64(out ulong n) ? n : null;
            if (nextAllowed is not null) detail += $" (next allowed block {nextAllowed})";
            throw new NetworkException(code, detail, nextAllowed);
        }
        catch (JsonException)
        {
            throw new NetworkException($"Http{(int)response.StatusCode}", text.Length > 200 ? text[..200] : text);
        }
    }
}
