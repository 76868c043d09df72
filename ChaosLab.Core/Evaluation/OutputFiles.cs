using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Evaluation;

/// <summary>How evaluation output files are written: whole files replaced at once, so a reader never sees half of one.</summary>
internal static class OutputFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, Utf8, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public static Task WriteJsonAsync(string path, JsonNode json, CancellationToken cancellationToken) =>
        WriteAsync(path, Indented(json) + "\n", cancellationToken);

    public static string Indented(JsonNode json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>JSON Lines: one compact object per line.</summary>
    public static string Lines(IEnumerable<JsonNode> lines) => string.Concat(lines.Select(l => l.ToJsonString() + "\n"));

    /// <summary>Stored JSON as a node, or as text when it does not parse (a model's malformed tool calls stay readable).</summary>
    public static JsonNode? ParseOrText(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
