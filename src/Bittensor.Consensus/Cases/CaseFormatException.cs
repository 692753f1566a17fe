namespace Bittensor.Consensus.Cases;

/// <summary>A case document is malformed; names the case and the field.</summary>
public sealed class CaseFormatException(string caseName, string field, string message)
    : FormatException($"case '{caseName}': field '{field}': {message}")
{
    /// <summary>The case's name (or its index when it has none).</summary>
    public string CaseName { get; } = caseName;

    /// <summary>The JSON path of the offending field inside the case.</summary>
    public string Field { get; } = field;
}
