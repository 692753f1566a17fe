using System.Diagnostics;
using System.Text.Json;

namespace Bittensor.Cli.Commands;

/// <summary>Concurrent read loops on <c>/health</c>, <c>/api/chain</c> and subnets' metagraphs, counting answered requests.</summary>
internal static class ReadLoops
{
    /// <summary>Successful reads per endpoint and failed ones, over <see cref="Seconds"/>.</summary>
    public sealed record Counts(long Health, long Chain, long Metagraph, long Errors, double Seconds);

    private const int MaxRequestsPerLoop = 10_000_000;

    /// <summary>
    /// Runs <paramref name="health"/>, <paramref name="chain"/> and <paramref name="metagraph"/> loops for <paramref name="duration"/>
    /// (metagraph loops cycle through <paramref name="netuids"/>); <c>/api/chain</c> answers feed <paramref name="clock"/>.
    /// </summary>
    public static async Task<Counts> RunAsync(HttpClient http, ChainClock clock, int health, int chain, int metagraph, TimeSpan duration,
        CancellationToken cancellationToken, IReadOnlyList<ushort>? netuids = null)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        var time = Stopwatch.StartNew();
        long errors = 0;
        async Task<long> Loop(Func<int, string> path, Action<string>? read)
        {
            long ok = 0;
            for (int i = 0; i < MaxRequestsPerLoop && !window.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await http.GetAsync(path(i), window.Token);
                    string body = await response.Content.ReadAsStringAsync(window.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                        continue;
                    }
                    read?.Invoke(body);
                    ok++;
                }
                catch (OperationCanceledException) when (window.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // No answer in time (HttpClient.Timeout) or none at all.
                    Interlocked.Increment(ref errors);
                }
            }
            return ok;
        }
        void ReadBlock(string body)
        {
            using var doc = JsonDocument.Parse(body);
            clock.Observe(doc.RootElement.GetProperty("block").GetUInt64());
        }
        var healthLoops = Enumerable.Range(0, health).Select(_ => Loop(_ => "/health", null)).ToList();
        var chainLoops = Enumerable.Range(0, chain).Select(_ => Loop(_ => "/api/chain", ReadBlock)).ToList();
        var metagraphLoops = netuids is { Count: > 0 }
            ? Enumerable.Range(0, metagraph).Select(k => Loop(i => $"/api/subnets/{netuids[(i + k) % netuids.Count]}/metagraph", null)).ToList()
            : [];
        long[] h = await Task.WhenAll(healthLoops), c = await Task.WhenAll(chainLoops), m = await Task.WhenAll(metagraphLoops);
        cancellationToken.ThrowIfCancellationRequested();
        return new Counts(h.Sum(), c.Sum(), m.Sum(), Interlocked.Read(ref errors), time.Elapsed.TotalSeconds);
    }
}
