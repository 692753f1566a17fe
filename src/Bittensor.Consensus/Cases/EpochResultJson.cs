using System.Text.Json;

namespace Bittensor.Consensus.Cases;

/// <summary>Writes <c>yuma-epoch-results/1</c> documents and single steps.</summary>
public static class EpochResultJson
{
    /// <summary>Writes a whole results document.</summary>
    public static void WriteDocument(Utf8JsonWriter w, Arithmetic arithmetic, IEnumerable<CaseRun> runs)
    {
        w.WriteStartObject();
        w.WriteString("schema", "yuma-epoch-results/1");
        w.WriteString("arithmetic", arithmetic.ToString().ToLowerInvariant());
        w.WriteStartArray("cases");
        foreach (var run in runs)
        {
            w.WriteStartObject();
            w.WriteString("name", run.Name);
            w.WriteStartArray("steps");
            foreach (var s in run.Steps) WriteStep(w, s.Block, s.Result);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes one step object: every vector full length n, bonds as non-zero [i, j, u16] cells.</summary>
    public static void WriteStep(Utf8JsonWriter w, ulong block, EpochResult r)
    {
        w.WriteStartObject();
        w.WriteNumber("block", block);
        WriteBools(w, "active", r.Active);
        WriteU16(w, "stake_weight", r.StakeWeight);
        WriteU16(w, "consensus", r.Consensus);
        WriteU16(w, "incentive", r.Incentive);
        WriteU16(w, "dividends", r.Dividends);
        WriteU16(w, "validator_trust", r.ValidatorTrust);
        WriteBools(w, "validator_permit", r.ValidatorPermit);
        WriteU64(w, "server_emission", r.ServerEmission);
        WriteU64(w, "validator_emission", r.ValidatorEmission);
        WriteU64(w, "emission", r.Emission);
        w.WriteStartArray("bonds");
        for (int i = 0; i < r.Bonds.Rows; i++)
        {
            var cols = r.Bonds.RowColumns(i);
            var vals = r.Bonds.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
            {
                if (vals[k] == 0) continue;
                w.WriteStartArray();
                w.WriteNumberValue(i);
                w.WriteNumberValue(cols[k]);
                w.WriteNumberValue(vals[k]);
                w.WriteEndArray();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteU16(Utf8JsonWriter w, string name, ushort[] v)
    {
        w.WriteStartArray(name);
        foreach (var e in v) w.WriteNumberValue(e);
        w.WriteEndArray();
    }

    internal static void WriteU64(Utf8JsonWriter w, string name, ulong[] v)
    {
        w.WriteStartArray(name);
        foreach (var e in v) w.WriteNumberValue(e);
        w.WriteEndArray();
    }

    internal static void WriteBools(Utf8JsonWriter w, string name, bool[] v)
    {
        w.WriteStartArray(name);
        foreach (var e in v) w.WriteBooleanValue(e);
        w.WriteEndArray();
    }
}
