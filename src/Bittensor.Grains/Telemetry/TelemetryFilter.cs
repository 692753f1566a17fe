using System.Diagnostics;
using System.Text.Json;

namespace Bittensor.Grains.Telemetry;

/// <summary>
/// Counts signed transactions by call and outcome (around <see cref="ITransactionsGrain.SubmitAsync"/>) and times epochs
/// per subnet (around <see cref="IConsensusGrain.RunAsync"/>), without touching either grain.
/// </summary>
internal sealed class TelemetryFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var type = context.InterfaceMethod?.DeclaringType;
        if (type == typeof(ITransactionsGrain) && context.MethodName == nameof(ITransactionsGrain.SubmitAsync))
        {
            await context.Invoke();
            if (!ChainTelemetry.Transactions.Enabled) return;
            var outcome = context.Response?.Result as TransactionOutcome;
            ChainTelemetry.Transactions.Add(1, new KeyValuePair<string, object?>("call", CallOf(context.Request.GetArgument(1) as string)),
                new KeyValuePair<string, object?>("outcome", outcome is null ? "error" : outcome.Ok ? "ok" : outcome.Code));
        }
        else if (type == typeof(IConsensusGrain))
        {
            long started = Stopwatch.GetTimestamp();
            await context.Invoke();
            ChainTelemetry.EpochTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("netuid", context.TargetId.GetIntegerKey()));
        }
        else await context.Invoke();
    }

    /// <summary>The payload's <c>call</c>, or <c>malformed</c>.</summary>
    private static string CallOf(string? payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload ?? "");
            return doc.RootElement.TryGetProperty("call", out var c) && c.ValueKind == JsonValueKind.String && c.GetString()!.Length <= 32 ? c.GetString()! : "malformed";
        }
        catch (JsonException)
        {
            return "malformed";
        }
    }
}
