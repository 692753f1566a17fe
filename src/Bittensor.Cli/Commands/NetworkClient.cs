using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>A failed request: the server's code and sentence (or why the network could not be reached).</summary>
public sealed class NetworkException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}

/// <summary>The REST API of a network: reads, and signed transactions with the signer's next nonce.</summary>
public sealed class NetworkClient(HttpClient http)
{
    public async Task<JsonElement> GetAsync(string path)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path);
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
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(path, new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"));
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
            if (problem.TryGetProperty("nextAllowedBlock", out var next)) detail += $" (next allowed block {next})";
            throw new NetworkException(code, detail);
        }
        catch (JsonException)
        {
            throw new NetworkException($"Http{(int)response.StatusCode}", text.Length > 200 ? text[..200] : text);
        }
    }
}
