using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace Bittensor.Cli.Commands;

/// <summary>Concurrent read loops on <c>/health</c>, <c>/api/chain</c> and subnets' metagraphs, counting answered requests.</summary>
internal static class ReadLoops
{
    /// <summary>Answered reads per route, each over the time its route was read (<see cref="RotatingAsync"/>).</summary>
    public sealed record Rates(double Health, double Chain, double Metagraph, long Errors, double Seconds);

    /// <summary>How long every loop stays on one route before all move to the next.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// <paramref name="loops"/> loops that read one route at a time, all on the same route: <c>/health</c>, then
    /// <c>/api/chain</c>, then a metagraph (cycling through <paramref name="netuids"/>), changing every half second. Each
    /// route is thus read with the same concurrency as an idle silo's <c>/health</c> is measured with, and its rate is its
    /// answers over the time it was read.
    /// </summary>
    public static async Task<Rates> RotatingAsync(HttpClient http, int loops, IReadOnlyList<ushort> netuids, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        var time = Stopwatch.StartNew();
        var ok = new long[3];
        long errors = 0;
        async Task Loop(int k)
        {
            for (int i = 0; i < MaxRequestsPerLoop && !window.IsCancellationRequested; i++)
            {
                int route = (int)(time.Elapsed / Slice) % 3;
                string path = route switch { 0 => "/health", 1 => "/api/chain", _ => $"/api/subnets/{netuids[(i + k) % netuids.Count]}/metagraph" };
                if (await TryReadAsync(http, path, null, window) is bool answered)
                    Interlocked.Increment(ref answered ? ref ok[route] : ref errors);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, loops).Select(Loop));
        cancellationToken.ThrowIfCancellationRequested();
        double seconds = time.Elapsed.TotalSeconds, slice = Slice.TotalSeconds;
        long slices = (long)(seconds / slice);
        double RouteSeconds(int route) => (slices / 3 + (route < slices % 3 ? 1 : 0)) * slice + (route == slices % 3 ? seconds - slices * slice : 0);
        double Rate(int route) => RouteSeconds(route) > 0 ? ok[route] / RouteSeconds(route) : 0;
        return new Rates(Rate(0), Rate(1), Rate(2), Interlocked.Read(ref errors), seconds);
    }

    /// <summary>Feeds <paramref name="clock"/> from <c>/api/chain</c> about twice per block time (not counted as load).</summary>
    public static async Task ClockAsync(HttpClient http, ChainClock clock, TimeSpan blockTime, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        try
        {
            while (!window.IsCancellationRequested)
            {
                await TryReadAsync(http, "/api/chain", body => ReadBlock(clock, body), window);
                await Task.Delay(blockTime / 2, window.Token);
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The window closed.
        }
    }

    /// <summary>One read: true when answered with success, false when refused or unanswered, null when the window closed.</summary>
    private static async Task<bool?> TryReadAsync(HttpClient http, string path, Action<string>? read, CancellationTokenSource window)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, window.Token);
            if (read is not null)
            {
                string body = await response.Content.ReadAsStringAsync(window.Token);
                if (response.IsSuccessStatusCode) read(body);
            }
            else
            {
                // The whole body is received, but not decoded: the load generator shares the silo's cores.
                byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                try
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(window.Token);
                    while (await stream.ReadAsync(buffer, window.Token) > 0)
                    {
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            return response.IsSuccessStatusCode;
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false; // no answer in time (HttpClient.Timeout) or none at all
        }
    }

    private static void ReadBlock(ChainClock clock, string body)
    {
        using var doc = JsonDocument.Parse(body);
        clock.Observe(doc.RootElement.GetProperty("block").GetUInt64());
    }

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
                switch (await TryReadAsync(http, path(i), read, window))
                {
                    case true: ok++; break;
                    case false: Interlocked.Increment(ref errors); break;
                }
            }
            return ok;
        }
        var healthLoops = Enumerable.Range(0, health).Select(_ => Loop(_ => "/health", null)).ToList();
        var chainLoops = Enumerable.Range(0, chain).Select(_ => Loop(_ => "/api/chain", body => ReadBlock(clock, body))).ToList();
        var metagraphLoops = netuids is { Count: > 0 }
            ? Enumerable.Range(0, metagraph).Select(k => Loop(i => $"/api/subnets/{netuids[(i + k) % netuids.Count]}/metagraph", null)).ToList()
            : [];
        long[] h = await Task.WhenAll(healthLoops), c = await Task.WhenAll(chainLoops), m = await Task.WhenAll(metagraphLoops);
        cancellationToken.ThrowIfCancellationRequested();
        return new Counts(h.Sum(), c.Sum(), m.Sum(), Interlocked.Read(ref errors), time.Elapsed.TotalSeconds);
    }
}
