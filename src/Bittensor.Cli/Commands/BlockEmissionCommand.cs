using System.Text.Json;
using Bittensor.Consensus;

namespace Bittensor.Cli.Commands;

/// <summary><c>block-emission --issuance RAO</c> or <c>--cases FILE</c> (yuma-block-emission/1).</summary>
internal static class BlockEmissionCommand
{
    public static async Task<int> RunAsync(VerbOptions args, TextWriter stdout)
    {
        string? cases = args.Get("cases");
        if (cases is null)
        {
            if (args.Get("issuance") is null) throw new UsageException("block-emission: give --issuance RAO or --cases FILE");
            await stdout.WriteLineAsync(BlockEmission.ForIssuance(args.U64("issuance")).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }
        if (args.Get("issuance") is not null) throw new UsageException("block-emission: give either --issuance or --cases, not both");
        using var doc = Output.ReadJson(cases, "block-emission");
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != "yuma-block-emission/1")
            throw new UsageException("block-emission: case '(document)': field 'schema': expected \"yuma-block-emission/1\"");
        if (!root.TryGetProperty("cases", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new UsageException("block-emission: case '(document)': field 'cases': expected an array");
        var issuances = new List<ulong>();
        int k = 0;
        foreach (var c in list.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("issuance", out var iss) || !iss.TryGetUInt64(out ulong issuance))
                throw new UsageException($"block-emission: case '#{k}': field 'issuance': expected a non-negative integer (rao)");
            issuances.Add(issuance);
            k++;
        }
        await Output.WriteJsonAsync(args.Get("output"), stdout, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("cases");
            foreach (ulong issuance in issuances)
            {
                w.WriteStartObject();
                w.WriteNumber("issuance", issuance);
                w.WriteNumber("block_emission", BlockEmission.ForIssuance(issuance));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return 0;
    }
}
