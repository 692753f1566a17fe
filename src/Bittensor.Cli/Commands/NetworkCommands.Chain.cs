using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Bittensor.Cli.Commands;

/// <summary>
/// The chain's blocks and events: <c>chain blocks</c> and <c>chain events</c> read the block log; <c>chain watch</c>
/// follows the live event stream (Server-Sent Events) and, when the connection drops, reconnects with the last event id
/// it printed, so that no event is printed twice or lost.
/// </summary>
internal sealed partial class NetworkCommands
{
    /// <summary>Query values are passed to the network as given: it checks them and names the bad one.</summary>
    private string Query(params string[] names)
    {
        var parts = names.Where(n => _args.Get(n) is not null)
            .Select(n => $"{Uri.EscapeDataString(n)}={Uri.EscapeDataString(_args.Get(n)!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private async Task<int> ChainBlocks() => await Show(await _client.GetAsync("/api/blocks" + Query("from", "limit")), BlocksTable);

    private async Task<int> ChainEvents() => await Show(await _client.GetAsync("/api/events" + Query("block", "kind", "account", "netuid", "after", "limit")), EventsTable);

    private async Task<int> ChainWatch()
    {
        int count = _args.Int("count", 0, 0, int.MaxValue);
        string? last = _args.Get("after");
        string path = "/api/events/stream" + Query("kind", "netuid", "account");
        int printed = 0, failures = 0;
        while (count == 0 || printed < count)
        {
            try
            {
                await foreach (var (id, kind, data) in _client.StreamAsync(path, last))
                {
                    failures = 0;
                    if (kind == "gap")
                    {
                        await host.Error.WriteLineAsync($"events were dropped by the network's retention before they were read: {data}");
                        continue;
                    }
                    last = id ?? last;
                    if (_json) await _stdout.WriteLineAsync(data);
                    else await _stdout.WriteLineAsync(EventLine(JsonDocument.Parse(data).RootElement));
                    await _stdout.FlushAsync();
                    if (count > 0 && ++printed >= count) return 0;
                }
            }
            catch (NetworkException e) when (e.Transient && ++failures < 10)
            {
                await host.Error.WriteLineAsync($"{e.Message}; reconnecting after event {last ?? "(none)"}");
            }
            catch (IOException) when (++failures < 10)
            {
                await host.Error.WriteLineAsync($"the stream dropped; reconnecting after event {last ?? "(none)"}");
            }
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, failures)));
        }
        return 0;
    }

    private void BlocksTable(JsonElement page)
    {
        var table = Columns("block:r", "hash", "extrinsics:r", "refused:r", "events:r", "time (UTC)");
        foreach (var b in page.GetProperty("blocks").EnumerateArray())
        {
            var extrinsics = b.GetProperty("extrinsics").EnumerateArray().ToList();
            string hash = b.GetProperty("hash").GetString() is { } h ? h[..18] + "…" : "(open)";
            string time = b.GetProperty("timestamp").ValueKind == JsonValueKind.String
                ? b.GetProperty("timestamp").GetDateTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) : "";
            table.AddRow(Cell(b.GetProperty("number")), Cell(hash), Cell(extrinsics.Count), Cell(extrinsics.Count(x => !x.GetProperty("ok").GetBoolean())),
                Cell(b.GetProperty("events").GetArrayLength()), Cell(time));
        }
        host.Tables.Write(table);
    }

    private void EventsTable(JsonElement page)
    {
        var table = Columns("id:r", "block:r", "kind", "details");
        foreach (var e in page.GetProperty("events").EnumerateArray())
            table.AddRow(Cell(e.GetProperty("id")), Cell(e.GetProperty("block")), Cell(e.GetProperty("kind").GetString()), Cell(Details(e)));
        host.Tables.Write(table);
        _stdout.WriteLine($"next page: --after {page.GetProperty("next")}");
    }

    private static string EventLine(JsonElement e) =>
        $"#{e.GetProperty("id")} block {e.GetProperty("block")} {e.GetProperty("kind").GetString()} {Details(e)}";

    /// <summary>The event's fields but id, kind and block, as name=value; amounts in TAO or alpha.</summary>
    private static string Details(JsonElement e) => string.Join(' ', e.EnumerateObject()
        .Where(p => p.Name is not ("id" or "kind" or "block"))
        .Select(p => p.Name is "tao" or "alpha" or "destAlpha" ? $"{p.Name}={TaoAmount.Format(p.Value.GetUInt64())}" : $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));
}
