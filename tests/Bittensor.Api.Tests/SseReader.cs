namespace Bittensor.Api.Tests;

/// <summary>A Server-Sent Events client for tests: opens a stream (optionally with <c>Last-Event-ID</c>) and reads messages; comments are skipped.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    /// <summary>One message: its id (null when it has none), its event name and its data.</summary>
    public sealed record Message(string? Id, string? Event, string Data);

    public static async Task<SseReader> OpenAsync(HttpClient http, string url, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is long id) request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next message with an event or data (null at the end of the stream).</summary>
    public async Task<Message?> NextAsync(CancellationToken cancellation)
    {
        string? id = null, name = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null || data.Count > 0) return new Message(id, name, string.Join('\n', data));
                id = name = null;
                continue;
            }
            if (line.StartsWith(':')) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon], value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data.Add(value); break;
            }
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
