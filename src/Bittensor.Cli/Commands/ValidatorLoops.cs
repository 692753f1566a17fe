using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Bittensor.Cli.Commands;

/// <summary>Every validator of the benchmark network setting weights on every UID of its subnet, as often as the rate limit allows.</summary>
internal static class ValidatorLoops
{
    /// <summary>Applied set_weights calls, calls refused by the rate limit, calls refused otherwise (the first such answer), over <see cref="Seconds"/>.</summary>
    public sealed record Counts(long Accepted, long RateLimited, long Rejected, string? FirstRejection, double Seconds);

    private const int MaxRoundsPerValidator = 1_000_000;

    public static async Task<Counts> RunAsync(BenchNetwork network, ChainClock clock, ulong rateLimit, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        var time = Stopwatch.StartNew();
        long accepted = 0, rateLimited = 0, rejected = 0;
        string? firstRejection = null;
        async Task Validate(BenchSigner validator, ushort netuid, int seed)
        {
            var random = new Random(seed);
            var uids = Enumerable.Range(0, network.Uids).ToArray();
            for (int round = 0; round < MaxRoundsPerValidator && !window.IsCancellationRequested; round++)
            {
                var args = new JsonObject
                {
                    ["netuid"] = netuid,
                    ["uids"] = new JsonArray([.. uids.Select(u => (JsonNode)u)]),
                    ["weights"] = new JsonArray([.. uids.Select(_ => (JsonNode)random.Next(1, 65536))]),
                };
                try
                {
                    var answer = await validator.SubmitAsync("set_weights", args, window.Token);
                    Interlocked.Increment(ref accepted);
                    ulong block = answer.GetProperty("block").GetUInt64();
                    clock.Observe(block);
                    await clock.WaitForAsync(block + rateLimit, window.Token);
                }
                catch (NetworkException e) when (e.NextAllowedBlock is ulong next)
                {
                    Interlocked.Increment(ref rateLimited);
                    await clock.WaitForAsync(next, window.Token);
                }
                catch (NetworkException e)
                {
                    Interlocked.Increment(ref rejected);
                    Interlocked.CompareExchange(ref firstRejection, e.Message, null);
                    await clock.WaitForAsync(clock.Block + Math.Max(1, rateLimit), window.Token);
                }
            }
        }
        async Task Guarded(BenchSigner validator, ushort netuid, int seed)
        {
            try
            {
                await Validate(validator, netuid, seed);
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                // The window closed.
            }
        }
        await Task.WhenAll(network.Validators.Select((v, k) => Guarded(v.Signer, v.Netuid, k)));
        cancellationToken.ThrowIfCancellationRequested();
        return new Counts(accepted, rateLimited, rejected, firstRejection, time.Elapsed.TotalSeconds);
    }
}
