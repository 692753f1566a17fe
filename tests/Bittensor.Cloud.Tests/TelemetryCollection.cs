namespace Bittensor.Cloud.Tests;

/// <summary>Meter and activity listeners are process-wide: these tests run alone, so that they count only their own host.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}
