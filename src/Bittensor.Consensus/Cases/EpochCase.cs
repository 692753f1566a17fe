using System.Text.Json;

namespace Bittensor.Consensus.Cases;

/// <summary>One case of a <c>yuma-epoch-cases/1</c> document: parameters, an initial state and steps.</summary>
public sealed class EpochCase
{
    /// <summary>The case's name.</summary>
    public required string Name { get; init; }

    /// <summary>The raw case element (for params, initial state, steps and expectations).</summary>
    public required JsonElement Element { get; init; }

    /// <summary>Reads every case of a document; throws <see cref="CaseFormatException"/> when the schema is wrong.</summary>
    public static IReadOnlyList<EpochCase> ReadDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new CaseFormatException("(document)", "$", "the document must be a JSON object");
        if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String || schema.GetString() != "yuma-epoch-cases/1")
            throw new CaseFormatException("(document)", "schema", "expected \"yuma-epoch-cases/1\"");
        if (!root.TryGetProperty("cases", out var cases) || cases.ValueKind != JsonValueKind.Array)
            throw new CaseFormatException("(document)", "cases", "expected an array of cases");
        var result = new List<EpochCase>();
        int index = 0;
        foreach (var c in cases.EnumerateArray())
        {
            string name = c.ValueKind == JsonValueKind.Object && c.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String
                ? nm.GetString()! : $"#{index}";
            if (c.ValueKind != JsonValueKind.Object) throw new CaseFormatException(name, "$", "a case must be an object");
            result.Add(new EpochCase { Name = name, Element = c.Clone() });
            index++;
        }
        return result;
    }
}
