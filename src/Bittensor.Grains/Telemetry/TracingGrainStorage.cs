using System.Diagnostics;
using Orleans.Storage;

namespace Bittensor.Grains.Telemetry;

/// <summary>Grain storage that wraps each read, write and clear in a <c>Bittensor</c> activity (the storage leg of a REST → grain → storage trace).</summary>
public sealed class TracingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Traced("storage read", stateName, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Traced("storage write", stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Traced("storage clear", stateName, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    private static async Task Traced(string name, string stateName, GrainId grainId, Func<Task> call)
    {
        using var activity = ChainTelemetry.Source.StartActivity(name, ActivityKind.Client);
        activity?.SetTag("bittensor.state", stateName);
        activity?.SetTag("bittensor.grain", grainId.ToString());
        try
        {
            await call();
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }
}
