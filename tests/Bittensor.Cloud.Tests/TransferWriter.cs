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
/// writer sends the very same signed transaction again until it is answered: the chain applies it if the first attempt
/// did not, and answers the original outcome if it did (as a real client would). For the figures it also asks the API for
/// the sender's next nonce after each failure (past the transfer's nonce: the failed attempt had been applied). So the
/// writer always knows exactly which transfers exist.
/// </summary>
public sealed class TransferWriter(HttpClient http, KeyPair sender, string dest, Func<string> route, Stopwatch clock)
{
    public const ulong Amount = 1_000;

    private readonly List<Attempt> _attempts = [];
    private readonly List<string> _failures = [];
    private ulong _nonce;
    private ulong _firstNonce;
    private ChainTarget _target = null!;

    public string Dest => dest;

    /// <summary>Transfers the writer saw acknowledged.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Requests that failed although the chain applied their transfer (found by the nonce); each resend was answered with its outcome.</summary>
    public int AmbiguousApplied { get; private set; }

    /// <summary>Transfers acknowledged, by the writer's nonce (a failed request's resend acknowledges it).</summary>
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

    public async Task StartAsync()
    {
        _nonce = _firstNonce = await NextNonceAsync(CancellationToken.None);
        _target = await Targets.OfAsync(http, route());
    }

    /// <summary>Sends transfers until <paramref name="stop"/>; a transfer whose request failed is resent until it is answered, even after the stop.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var deadline = TimeSpan.MaxValue;
        for (bool unresolved = false; !stop.IsCancellationRequested || (unresolved && clock.Elapsed < deadline);)
        {
            if (stop.IsCancellationRequested && deadline == TimeSpan.MaxValue) deadline = clock.Elapsed + TimeSpan.FromSeconds(30);
            // The same nonce signs the same bytes: a resend is the same transaction (same hash).
            var tx = SignedTransaction.Create(sender, _target, _nonce, "transfer", new JsonObject { ["dest"] = dest, ["amount"] = Amount });
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
            if (!ok && applied) AmbiguousApplied++;
            unresolved = !ok;
            if (ok)
            {
                Acknowledged++;
                _nonce++;
            }
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
