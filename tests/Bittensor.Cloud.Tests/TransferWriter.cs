using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cloud.Tests;

/// <summary>
/// A client sending signed transfers of <see cref="Amount"/> rao, one at a time, through whichever silo's REST API
/// <c>route</c> names. An acknowledged transfer (200) is recorded; when a request fails the outcome is ambiguous, so the
/// writer asks the API for the sender's next nonce: past the transfer's nonce means it was applied, otherwise it sends the
/// same signed transaction again (the nonce makes that safe). So the writer always knows exactly which transfers exist.
/// </summary>
public sealed class TransferWriter(HttpClient http, KeyPair sender, string dest, string chainId, Func<string> route, Stopwatch clock)
{
    public const ulong Amount = 1_000;

    private readonly List<Attempt> _attempts = [];
    private readonly List<string> _failures = [];
    private ulong _nonce;
    private ulong _firstNonce;

    public string Dest => dest;

    /// <summary>Transfers the writer saw acknowledged.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Transfers whose request failed but that the chain applied (found by the nonce).</summary>
    public int AmbiguousApplied { get; private set; }

    /// <summary>Transfers applied, by the writer's account: acknowledged plus ambiguous-but-applied.</summary>
    public ulong Applied => _nonce - _firstNonce;

    /// <summary>
    /// A request: when it was sent and answered (on the shared clock), whether it was acknowledged, its HTTP status (0: no
    /// answer), and whether its transfer was applied.
    /// </summary>
    public sealed record Attempt(TimeSpan Sent, TimeSpan At, bool Ok, int Status, bool Applied);

    /// <summary>Every request so far.</summary>
    public IReadOnlyList<Attempt> Attempts
    {
        get { lock (_attempts) return [.. _attempts]; }
    }

    /// <summary>Why requests failed: the status and problem type, or the exception.</summary>
    public IReadOnlyList<string> Failures
    {
        get { lock (_attempts) return [.. _failures]; }
    }

    public async Task StartAsync() => _nonce = _firstNonce = await NextNonceAsync(CancellationToken.None);

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var tx = SignedTransaction.Create(sender, chainId, _nonce, "transfer", new JsonObject { ["dest"] = dest, ["amount"] = Amount });
            int status = 0;
            string? failure = null;
            var sent = clock.Elapsed;
            try
            {
                using var response = await http.PostAsync($"{route()}/api/transactions", new StringContent(tx.ToJson(), Encoding.UTF8, "application/json"));
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode) failure = $"{status} {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
            var answered = clock.Elapsed;
            bool ok = failure is null;
            bool applied = ok || await NextNonceAsync(CancellationToken.None) > _nonce;
            lock (_attempts)
            {
                _attempts.Add(new Attempt(sent, answered, ok, status, applied));
                if (failure is not null) _failures.Add($"{answered.TotalSeconds:0.00}s {(applied ? "applied" : "not applied")}: {failure}");
            }
            if (ok) Acknowledged++;
            else if (applied) AmbiguousApplied++;
            if (applied) _nonce++;
            else await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>The sender's next nonce, asking silo after silo until one answers.</summary>
    public async Task<ulong> NextNonceAsync(CancellationToken cancellationToken) =>
        (await GetAsync($"/api/accounts/{sender.Address}", cancellationToken)).GetProperty("nextNonce").GetUInt64();

    /// <summary>Reads <paramref name="path"/> from whichever silo answers first, retrying through a failover.</summary>
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(100, cancellationToken))
        {
            try
            {
                using var response = await http.GetAsync($"{route()}{path}", cancellationToken);
                if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no silo answered {path} for 60 s");
        }
    }
}
