using System.Text;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;

namespace Bittensor.Grains;

/// <summary>An epoch's outcome for the chain and the new bonds the subnet stores.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.EpochComputation")]
public sealed record EpochComputation(
    [property: Id(0)] EpochOutcome Outcome, [property: Id(1)] int[] BondStarts, [property: Id(2)] ushort[] BondColumns, [property: Id(3)] ushort[] BondValues)
{
    /// <summary>The new bond rows, (columns, values) per UID.</summary>
    public List<(ushort[] Columns, ushort[] Values)> BondRows() =>
        [.. Enumerable.Range(0, BondStarts.Length - 1).Select(i => (BondColumns[BondStarts[i]..BondStarts[i + 1]], BondValues[BondStarts[i]..BondStarts[i + 1]]))];
}

/// <summary>
/// Computes a subnet's epochs (key: netuid) with Exact arithmetic on typed inputs, and records each one. An ordinary
/// grain, so Orleans places the consensus grains of different subnets across the silos and their epochs run in parallel,
/// off the chain's block path.
/// </summary>
[Alias("Bittensor.Grains.IConsensusGrain")]
public interface IConsensusGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Computes the epoch and stores its record (and drops the record that falls out of the history). With
    /// <paramref name="recordFirst"/> the record is stored before the computation is returned; without, it is returned
    /// as soon as it is computed, so a block waiting for it does not wait for storage, and the record is stored right
    /// after — in order: the next epoch of the subnet starts only once the previous record is stored (a failed write
    /// is retried then, and the next epoch fails rather than leave a gap).
    /// </summary>
    [Alias("Run")] Task<EpochComputation> RunAsync(EpochRequest request, bool recordFirst);
}

public sealed partial class ConsensusGrain(Microsoft.Extensions.Options.IOptions<ChainOptions> options, ILogger<ConsensusGrain> logger) : Grain, IConsensusGrain
{
    /// <summary>The last epoch's record being stored, and what it stores (to retry it).</summary>
    private (Task Write, Func<Task> Again)? _recording;

    public async Task<EpochComputation> RunAsync(EpochRequest request, bool recordFirst)
    {
        await RecordedAsync();
        var (parameters, input) = request.ToEngine();
        // The engine is CPU-bound (about a second at the largest subnet): keep it off the silo's scheduler threads.
        var result = await Task.Run(() => YumaEpoch.Run(parameters, input, Arithmetic.Exact));
        var bonds = result.Bonds;
        var computation = new EpochComputation(EpochOutcome.From(request, result), bonds.RowStarts.ToArray(), bonds.AllColumns.ToArray(), bonds.AllValues.ToArray());
        Func<Task> store = () => StoreRecordAsync(request, parameters, input, result);
        _recording = (store(), store);
        if (recordFirst) await RecordedAsync();
        return computation;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await RecordedAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRecordLost(logger, e, this.GetPrimaryKeyLong());
        }
    }

    /// <summary>Waits for the last record's write; retries it once if it failed (the failure then surfaces).</summary>
    private async Task RecordedAsync()
    {
        if (_recording is not { } r) return;
        try
        {
            await r.Write;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRecordRetry(logger, e, this.GetPrimaryKeyLong());
            var again = r.Again();
            _recording = (again, r.Again);
            await again;
        }
        _recording = null;
    }

    private async Task StoreRecordAsync(EpochRequest request, EpochParameters parameters, EpochInput input, EpochResult result)
    {
        var start = request.Start;
        var record = await Task.Run(() => Record(request, parameters, input, result, options.Value.EpochRecordMaxEntries));
        await GrainFactory.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(start.Netuid, start.Index)).SetAsync(record);
        if (start.Index >= SubnetLedger.EpochHistory)
            await GrainFactory.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(start.Netuid, start.Index - SubnetLedger.EpochHistory)).ClearAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The record of an epoch of subnet {Netuid} could not be stored; retrying")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, long netuid);

    [LoggerMessage(Level = LogLevel.Error, Message = "The record of the last epoch of subnet {Netuid} could not be stored before deactivation")]
    private static partial void LogRecordLost(ILogger logger, Exception exception, long netuid);

    /// <summary>The epoch as a re-runnable case and its outputs; inputs over <paramref name="maxEntries"/> weight and bond entries are left out.</summary>
    internal static EpochRecord Record(EpochRequest request, EpochParameters parameters, EpochInput input, EpochResult result, long maxEntries)
    {
        var start = request.Start;
        string name = $"subnet-{start.Netuid}-epoch-{start.Index}";
        string inputs = request.Entries <= maxEntries
            ? Json(w => EpochCaseJson.WriteCase(w, name, parameters, input))
            : Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("omitted", $"inputs of {request.Entries} weight and bond entries exceed the recorded maximum of {maxEntries} (Chain:EpochRecordMaxEntries)");
                w.WriteEndObject();
            });
        return new EpochRecord(start.Index, start.Block, inputs, Json(w => EpochResultJson.WriteStep(w, start.Block, result)));
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
