using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;
using Orleans.Concurrency;

namespace Bittensor.Grains;

/// <summary>An epoch's outputs (Exact arithmetic) and the same as a yuma-epoch-results/1 step.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.EpochOutcome")]
public sealed record EpochOutcome
{
    [Id(0)] public required ImmutableArray<ushort> StakeWeight { get; init; }
    [Id(1)] public required ImmutableArray<ushort> Consensus { get; init; }
    [Id(2)] public required ImmutableArray<ushort> Incentive { get; init; }
    [Id(3)] public required ImmutableArray<ushort> Dividends { get; init; }
    [Id(4)] public required ImmutableArray<ushort> ValidatorTrust { get; init; }
    [Id(5)] public required ImmutableArray<bool> Active { get; init; }
    [Id(6)] public required ImmutableArray<bool> ValidatorPermit { get; init; }
    [Id(7)] public required ImmutableArray<ulong> ServerEmission { get; init; }
    [Id(8)] public required ImmutableArray<ulong> ValidatorEmission { get; init; }
    [Id(9)] public required ImmutableArray<ulong> Emission { get; init; }
    [Id(10)] public required ImmutableArray<ImmutableArray<ushort>> BondColumns { get; init; }
    [Id(11)] public required ImmutableArray<ImmutableArray<ushort>> BondValues { get; init; }
    [Id(12)] public required string OutputsJson { get; init; }
}

/// <summary>Runs epochs on the engine; a stateless worker, so epoch work spreads over every silo.</summary>
[Alias("Bittensor.Grains.IConsensusGrain")]
public interface IConsensusGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the one-step <c>yuma-epoch-cases/1</c> case in <paramref name="caseJson"/> with Exact arithmetic.</summary>
    [Alias("Run")] Task<EpochOutcome> RunAsync(string caseJson);
}

[StatelessWorker]
public sealed class ConsensusGrain : Grain, IConsensusGrain
{
    public Task<EpochOutcome> RunAsync(string caseJson) => Task.FromResult(Run(caseJson));

    internal static EpochOutcome Run(string caseJson)
    {
        using var doc = JsonDocument.Parse($$"""{"schema":"yuma-epoch-cases/1","cases":[{{caseJson}}]}""");
        var epochCase = EpochCase.ReadDocument(doc.RootElement)[0];
        var step = EpochCaseRunner.Run(epochCase, Arithmetic.Exact).Steps[0];
        var r = step.Result;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) EpochResultJson.WriteStep(w, step.Block, r);
        return new EpochOutcome
        {
            StakeWeight = [.. r.StakeWeight],
            Consensus = [.. r.Consensus],
            Incentive = [.. r.Incentive],
            Dividends = [.. r.Dividends],
            ValidatorTrust = [.. r.ValidatorTrust],
            Active = [.. r.Active],
            ValidatorPermit = [.. r.ValidatorPermit],
            ServerEmission = [.. r.ServerEmission],
            ValidatorEmission = [.. r.ValidatorEmission],
            Emission = [.. r.Emission],
            BondColumns = [.. Enumerable.Range(0, r.Bonds.Rows).Select(i => r.Bonds.RowColumns(i).ToImmutableArray())],
            BondValues = [.. Enumerable.Range(0, r.Bonds.Rows).Select(i => r.Bonds.RowValues(i).ToImmutableArray())],
            OutputsJson = Encoding.UTF8.GetString(buffer.ToArray()),
        };
    }
}
