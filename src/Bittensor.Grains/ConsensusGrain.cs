using System.Text;
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
    [Alias("Run")] Task<EpochComputation> RunAsync(EpochRequest request);
}

public sealed class ConsensusGrain(Microsoft.Extensions.Options.IOptions<ChainOptions> options) : Grain, IConsensusGrain
{
    public async Task<EpochComputation> RunAsync(EpochRequest request)
    {
        var (parameters, input) = request.ToEngine();
        // The engine is CPU-bound (about a second at the largest subnet): keep it off the silo's scheduler threads.
        var result = await Task.Run(() => YumaEpoch.Run(parameters, input, Arithmetic.Exact));
        var start = request.Start;
        var record = await Task.Run(() => Record(request, parameters, input, result, options.Value.EpochRecordMaxEntries));
        await GrainFactory.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(start.Netuid, start.Index)).SetAsync(record);
        if (start.Index >= SubnetLedger.EpochHistory)
            await GrainFactory.GetGrain<IEpochRecordLedger>(IEpochRecordGrain.KeyOf(start.Netuid, start.Index - SubnetLedger.EpochHistory)).ClearAsync();
        var bonds = result.Bonds;
        return new EpochComputation(EpochOutcome.From(request, result), bonds.RowStarts.ToArray(), bonds.AllColumns.ToArray(), bonds.AllValues.ToArray());
    }

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
