using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Scenarios.Studio;

/// <summary>
/// The files a <see cref="ScenarioPack"/> travels in: one JSON document
/// (<c>{"format":"chaoslab.scenario-pack","version":1,"scenarios":[...]}</c>) or a zip holding
/// one file per scenario version (<c>&lt;id&gt;/v&lt;version&gt;.json</c>). Both are written in
/// canonical JSON, so exporting what was imported gives the same bytes. Reading never throws on
/// bad input: it lists what is wrong.
/// </summary>
public static class ScenarioPackFormat
{
    public const string FormatName = "chaoslab.scenario-pack";

    public const int FormatVersion = 1;

    /// <summary>Most scenario documents one pack may hold.</summary>
    public const int MaxDocuments = 1_000;

    /// <summary>Most bytes of JSON one pack may hold (the file, and a zip's files once uncompressed).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    public const string JsonMediaType = "application/json";

    public const string ZipMediaType = "application/zip";

    private const string FormatField = "format";
    private const string VersionField = "version";
    private const string ScenariosField = "scenarios";

    // Zip entries carry a modification time; a fixed one keeps the archive's bytes a function of its content.
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The name of a document's file in a zip pack.</summary>
    public static string EntryName(string id, int version) => $"{id}/v{version}.json";

    /// <summary>The pack as one canonical JSON document (UTF-8).</summary>
    public static byte[] WriteJson(ScenarioPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var root = new JsonObject
        {
            [FormatField] = FormatName,
            [VersionField] = FormatVersion,
            [ScenariosField] = new JsonArray([.. pack.Documents.Select(d => JsonNode.Parse(d.GetRawText()))]),
        };
        return Encoding.UTF8.GetBytes(CanonicalJson.Serialize(root));
    }

    /// <summary>
    /// The pack as a zip of canonical JSON files, one per document, in pack order. The documents
    /// must name their id and version (as <see cref="IScenarioStudio.ExportAsync"/> gives them).
    /// </summary>
    public static byte[] WriteZip(ScenarioPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var document in pack.Documents)
            {
                var entry = archive.CreateEntry(
                    EntryName(document.GetProperty(ScenarioFields.Id).GetString()!, document.GetProperty(ScenarioFields.Version).GetInt32()),
                    CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(document)));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a pack from a stream, refusing more than <see cref="MaxBytes"/> without reading further.</summary>
    public static async Task<StudioResult<ScenarioPack>> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = await ReadAtMostAsync(stream, MaxBytes, cancellationToken);
        return bytes is null ? TooLarge() : Read(bytes);
    }

    /// <summary>
    /// Reads a JSON pack, a zip pack (recognised by its signature), or a single scenario document
    /// (a JSON object with an <c>id</c> and no <c>format</c>) as a pack of one.
    /// </summary>
    public static StudioResult<ScenarioPack> Read(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            return TooLarge();
        }

        return IsZip(bytes.Span) ? ReadZip(bytes) : ReadJson(bytes);
    }

    private static bool IsZip(ReadOnlySpan<byte> bytes) => bytes.StartsWith("PK\u0003\u0004"u8) || bytes.StartsWith("PK\u0005\u0006"u8);

    private static StudioResult<ScenarioPack> ReadJson(ReadOnlyMemory<byte> bytes)
    {
        if (!StrictJson.TryParse(bytes, out var json, out var error))
        {
            return Invalid(new ScenarioError("", $"The pack is neither JSON nor a zip: {error}"));
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid(NotAPack());
            }

            if (!root.TryGetProperty(FormatField, out var format))
            {
                return root.TryGetProperty(ScenarioFields.Id, out _) ? StudioResult<ScenarioPack>.Ok(new ScenarioPack([root.Clone()])) : Invalid(NotAPack());
            }

            var errors = new List<ScenarioError>();
            if (format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            {
                errors.Add(new("/" + FormatField, $"format must be \"{FormatName}\""));
            }

            if (!root.TryGetProperty(VersionField, out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var number) || number != FormatVersion)
            {
                errors.Add(new("/" + VersionField, $"this build reads packs of version {FormatVersion}"));
            }

            foreach (var property in root.EnumerateObject().Where(p => p.Name is not (FormatField or VersionField or ScenariosField)))
            {
                errors.Add(new("/" + property.Name, $"a pack has no field '{property.Name}' (it has {FormatField}, {VersionField} and {ScenariosField})"));
            }

            if (!root.TryGetProperty(ScenariosField, out var scenarios) || scenarios.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("/" + ScenariosField, "scenarios must be an array of scenario documents"));
            }
            else if (scenarios.GetArrayLength() > MaxDocuments)
            {
                errors.Add(TooManyDocuments(scenarios.GetArrayLength()));
            }

            return errors.Count > 0
                ? Invalid([.. errors])
                : StudioResult<ScenarioPack>.Ok(new ScenarioPack([.. scenarios.EnumerateArray().Select(d => d.Clone())]));
        }
    }

    private static StudioResult<ScenarioPack> ReadZip(ReadOnlyMemory<byte> bytes)
    {
        var documents = new List<JsonElement>();
        var errors = new List<ScenarioError>();
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes.ToArray(), writable: false), ZipArchiveMode.Read);
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (files.Count > MaxDocuments)
            {
                return Invalid(TooManyDocuments(files.Count));
            }

            long budget = MaxBytes;
            for (var index = 0; index < files.Count; index++)
            {
                var entry = files[index];
                if (!entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new($"/{index}", $"'{entry.FullName}' is not a .json file: a pack's zip holds only <id>/v<version>.json files"));
                    continue;
                }

                using var stream = entry.Open();
                var content = ReadAtMost(stream, budget);
                if (content is null)
                {
                    return TooLarge();
                }

                budget -= content.Length;
                if (EntryProblem(entry.FullName, content, index) is { } problem)
                {
                    errors.Add(problem);
                    continue;
                }

                using var json = JsonDocument.Parse(content);
                documents.Add(json.RootElement.Clone());
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or NotSupportedException)
        {
            return Invalid(new ScenarioError("", $"The zip cannot be read: {exception.Message}"));
        }

        return errors.Count > 0 ? Invalid([.. errors]) : StudioResult<ScenarioPack>.Ok(new ScenarioPack(documents));
    }

    /// <summary>Why a zip entry cannot be a scenario file, or null when it can.</summary>
    private static ScenarioError? EntryProblem(string name, byte[] content, int index)
    {
        if (!StrictJson.TryParse(content, out var json, out var error))
        {
            return new ScenarioError($"/{index}", $"'{name}' is not JSON: {error}");
        }

        using (json)
        {
            var root = json.RootElement;
            // A file named for another id or version would be imported as something its name does
            // not say; documents without a readable id or version are left to the import's checks.
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty(ScenarioFields.Id, out var id) && id.ValueKind == JsonValueKind.String
                && root.TryGetProperty(ScenarioFields.Version, out var version) && Int32OrNull(version) is { } number
                && EntryName(id.GetString()!, number) is var expected && expected != name)
            {
                return new ScenarioError($"/{index}", $"'{name}' holds version {number} of '{id.GetString()}': name it '{expected}'");
            }

            return null;
        }
    }

    private static int? Int32OrNull(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) ? value : null;

    private static byte[]? ReadAtMost(Stream stream, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static async Task<byte[]?> ReadAtMostAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static ScenarioError NotAPack() => new("",
        $"Not a scenario pack: expected {{\"{FormatField}\":\"{FormatName}\",\"{VersionField}\":{FormatVersion},\"{ScenariosField}\":[...]}}, one scenario document, or a zip of <id>/v<version>.json files");

    private static ScenarioError TooManyDocuments(int count) =>
        new("/" + ScenariosField, $"The pack holds {count} scenarios; at most {MaxDocuments} fit in one pack");

    private static StudioResult<ScenarioPack> TooLarge() => Invalid(new ScenarioError("",
        $"The pack holds more than {MaxBytes / (1024 * 1024)} MiB of JSON; split it into smaller packs"));

    private static StudioResult<ScenarioPack> Invalid(params ScenarioError[] errors) =>
        StudioResult<ScenarioPack>.Fail(
            StudioFailureKind.Invalid, errors.Length == 1 ? "The pack cannot be read: " + errors[0].Message : $"The pack cannot be read: {errors.Length} problems", errors);
}
