namespace Bittensor.Runtime.Simulation;

/// <summary>A scenario is malformed or refused by the chain; names the agent (or the part of the document) and the field.</summary>
public sealed class ScenarioFormatException(string agent, string field, string message)
    : FormatException($"{agent}: field '{field}': {message}")
{
    /// <summary>Who the field belongs to: "scenario", "subnet 'sn1'", "validators 'copier' of subnet 'sn1'".</summary>
    public string Agent { get; } = agent;

    /// <summary>The field's JSON path inside that part.</summary>
    public string Field { get; } = field;
}
