using System.Text;
using System.Text.Json;

namespace Bittensor.Cli.Commands;

/// <summary>Reads input documents and writes JSON to a file or standard output.</summary>
internal static class Output
{
    public static JsonDocument ReadJson(string path, string verb)
    {
        if (!File.Exists(path)) throw new UsageException($"{verb}: file not found: {path}");
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new UsageException($"{verb}: {path} is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    public static async Task WriteJsonAsync(string? outputPath, TextWriter stdout, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        if (outputPath is null)
        {
            await stdout.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }
        await File.WriteAllBytesAsync(outputPath, buffer.ToArray());
    }
}
