using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;

namespace Bittensor.Grains.Tests;

/// <summary>Records an epoch as the consensus grain does and re-runs the recorded case (what <c>bittensor epoch --cases</c> does).</summary>
internal static class RecordedEpochs
{
    /// <summary>
    /// Runs <paramref name="request"/>, records it as a <c>yuma-epoch-cases/1</c> case, re-runs the case and asserts the same
    /// outputs. Returns the recorded inputs' JSON (for what they must carry).
    /// </summary>
    public static string AssertReRunsExactly(EpochRequest request)
    {
        var (parameters, input) = request.ToEngine();
        var record = ConsensusGrain.Record(request, parameters, input, YumaEpoch.Run(parameters, input, Arithmetic.Exact), long.MaxValue);
        using var doc = JsonDocument.Parse($$"""{"schema":"yuma-epoch-cases/1","cases":[{{record.InputsJson}}]}""");
        var run = EpochCaseRunner.Run(EpochCase.ReadDocument(doc.RootElement)[0], Arithmetic.Exact);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) EpochResultJson.WriteStep(w, run.Steps[0].Block, run.Steps[0].Result);
        Assert.Equal(record.OutputsJson, Encoding.UTF8.GetString(buffer.ToArray()));
        return record.InputsJson;
    }
}
