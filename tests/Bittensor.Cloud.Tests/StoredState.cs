using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Bittensor.Cloud.Tests;

/// <summary>
/// Every grain-state entity of an Azure Table account, as JSON: each property with its EDM type, binary values (Orleans
/// serializer bytes) in base64. What a release leaves in storage, and what the next release must read.
/// </summary>
public static class StoredState
{
    /// <summary>The membership table: per deployment, never carried across releases.</summary>
    private const string MembershipTable = "OrleansSiloInstances";

    public static async Task<JsonObject> DumpAsync(TableServiceClient tables)
    {
        var result = new JsonObject();
        await foreach (var table in tables.QueryAsync())
        {
            if (table.Name == MembershipTable) continue;
            var entities = new JsonArray();
            await foreach (var e in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var properties = new JsonObject();
                foreach (var (key, value) in e.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (key is "odata.etag" or "Timestamp" or "PartitionKey" or "RowKey") continue;
                    properties[key] = value switch
                    {
                        byte[] b => new JsonObject { ["binary"] = Convert.ToBase64String(b) },
                        string s => new JsonObject { ["string"] = s },
                        bool v => new JsonObject { ["bool"] = v },
                        int v => new JsonObject { ["int32"] = v },
                        long v => new JsonObject { ["int64"] = v },
                        double v => new JsonObject { ["double"] = v },
                        DateTimeOffset v => new JsonObject { ["dateTime"] = v.ToString("O") },
                        Guid v => new JsonObject { ["guid"] = v.ToString() },
                        _ => throw new NotSupportedException($"{table.Name}/{e.PartitionKey}/{e.RowKey}: property {key} is a {value?.GetType().Name}"),
                    };
                }
                entities.Add(new JsonObject { ["partitionKey"] = e.PartitionKey, ["rowKey"] = e.RowKey, ["properties"] = properties });
            }
            result[table.Name] = entities;
        }
        return result;
    }

    public static async Task LoadAsync(TableServiceClient tables, JsonObject dump)
    {
        foreach (var (name, entities) in dump)
        {
            var table = tables.GetTableClient(name);
            await table.CreateIfNotExistsAsync();
            foreach (var node in entities!.AsArray())
            {
                var e = new TableEntity(node!["partitionKey"]!.GetValue<string>(), node["rowKey"]!.GetValue<string>());
                foreach (var (key, typed) in node["properties"]!.AsObject())
                {
                    var (type, value) = typed!.AsObject().Single();
                    e[key] = type switch
                    {
                        "binary" => Convert.FromBase64String(value!.GetValue<string>()),
                        "string" => value!.GetValue<string>(),
                        "bool" => value!.GetValue<bool>(),
                        "int32" => value!.GetValue<int>(),
                        "int64" => value!.GetValue<long>(),
                        "double" => value!.GetValue<double>(),
                        "dateTime" => DateTimeOffset.Parse(value!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                        "guid" => Guid.Parse(value!.GetValue<string>()),
                        _ => throw new NotSupportedException($"unknown stored type {type}"),
                    };
                }
                await table.AddEntityAsync(e);
            }
        }
    }

    /// <summary>True when every property of <paramref name="expected"/> is in <paramref name="actual"/> with the same value (arrays element by element): a later release may add fields, never change or drop them.</summary>
    public static bool Contains(JsonElement actual, JsonElement expected, string path, List<string> differences)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object) return Differ(path, differences, expected, actual);
                bool ok = true;
                foreach (var p in expected.EnumerateObject())
                    ok &= actual.TryGetProperty(p.Name, out var a) ? Contains(a, p.Value, $"{path}.{p.Name}", differences) : Differ($"{path}.{p.Name}", differences, p.Value, null);
                return ok;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != expected.GetArrayLength()) return Differ(path, differences, expected, actual);
                bool all = true;
                int i = 0;
                foreach (var (a, e) in actual.EnumerateArray().Zip(expected.EnumerateArray())) all &= Contains(a, e, $"{path}[{i++}]", differences);
                return all;
            case JsonValueKind.Number when actual.ValueKind == JsonValueKind.Number:
                bool same = expected.TryGetUInt64(out var e64) && actual.TryGetUInt64(out var a64) ? e64 == a64 : expected.GetDouble() == actual.GetDouble();
                return same || Differ(path, differences, expected, actual);
            default:
                return actual.GetRawText() == expected.GetRawText() || Differ(path, differences, expected, actual);
        }
    }

    private static bool Differ(string path, List<string> differences, JsonElement expected, JsonElement? actual)
    {
        differences.Add($"{path}: expected {Truncate(expected.GetRawText())}, got {(actual is { } a ? Truncate(a.GetRawText()) : "nothing")}");
        return false;
    }

    private static string Truncate(string s) => s.Length > 120 ? s[..120] + "…" : s;
}
