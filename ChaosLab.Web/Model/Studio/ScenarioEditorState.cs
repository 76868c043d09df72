using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// The document an editor works on and its JSON text, kept in step both ways: a form edit
/// changes the document and rewrites the text; text that parses becomes the document, text
/// that does not is kept as typed beside the last document that did, with where it broke.
/// </summary>
public sealed class ScenarioEditorState
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private ScenarioSchema _schema = new(null);

    // A fixed world put aside when the author switches to a generated one, so switching back
    // does not lose its tables.
    private JsonObject? _setAsideWorld;

    public JsonObject Document { get; private set; } = [];

    public string Text { get; private set; } = "{}";

    /// <summary>Why the text does not parse (with line and column), or null when it does.</summary>
    public string? ParseError { get; private set; }

    public ScenarioSchema Schema
    {
        get => _schema;
        set => _schema = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Starts over from <paramref name="document"/> (copied: the caller's object is never changed).</summary>
    public void Load(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Document = (JsonObject)document.DeepClone();
        _setAsideWorld = null;
        Rewrite();
    }

    /// <summary>
    /// Sets a field; an empty value (null, blank text, empty list) leaves out a property the schema
    /// does not require, so a document keeps only what its author set.
    /// </summary>
    public void Set(string path, JsonNode? value)
    {
        if (IsEmpty(value) && !_schema.IsRequired(path) && !IsArrayItem(path))
        {
            value = null;
        }

        ScenarioDocumentEdits.Set(Document, path, value);
        Rewrite();
    }

    /// <summary>Appends a row to the table at <paramref name="path"/> (creating the list).</summary>
    public void AddRow(string path, JsonObject row)
    {
        if (ScenarioDocumentEdits.Find(Document, path) is JsonArray rows)
        {
            rows.Add(row);
        }
        else
        {
            ScenarioDocumentEdits.Set(Document, path, new JsonArray(row));
        }

        Rewrite();
    }

    /// <summary>Removes a row; the last row of an optional list takes the list with it.</summary>
    public void RemoveRow(string path, int index)
    {
        if (ScenarioDocumentEdits.Find(Document, path) is not JsonArray rows || index < 0 || index >= rows.Count)
        {
            return;
        }

        rows.RemoveAt(index);
        if (rows.Count == 0 && !_schema.IsRequired(path))
        {
            ScenarioDocumentEdits.Set(Document, path, null);
        }

        Rewrite();
    }

    /// <summary>Adds an entry to the map at <paramref name="path"/> under a name not yet used.</summary>
    public void AddEntry(string path, string name)
    {
        var map = ScenarioDocumentEdits.Find(Document, path) as JsonObject;
        var key = name;
        for (var n = 2; map is not null && map.ContainsKey(key); n++)
        {
            key = $"{name}_{n}";
        }

        ScenarioDocumentEdits.Set(Document, JsonPointer.Append(path, key), JsonValue.Create(""));
        Rewrite();
    }

    /// <summary>Sets a map entry's value (kept even when blank: the entry is there until removed).</summary>
    public void SetEntry(string path, string name, string value)
    {
        ScenarioDocumentEdits.Set(Document, JsonPointer.Append(path, name), JsonValue.Create(value));
        Rewrite();
    }

    /// <summary>Renames a map entry in place (its position kept); refused when the new name is taken or blank.</summary>
    public bool RenameEntry(string path, string oldName, string newName)
    {
        if (ScenarioDocumentEdits.Find(Document, path) is not JsonObject map || string.IsNullOrWhiteSpace(newName)
            || !map.ContainsKey(oldName) || (newName != oldName && map.ContainsKey(newName)))
        {
            return false;
        }

        var entries = map.Select(p => (Key: p.Key == oldName ? newName : p.Key, Value: p.Value?.DeepClone())).ToList();
        map.Clear();
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }

        Rewrite();
        return true;
    }

    public void RemoveEntry(string path, string name)
    {
        if (ScenarioDocumentEdits.Find(Document, path) is JsonObject map && map.Remove(name))
        {
            Rewrite();
        }
    }

    /// <summary>
    /// Switches the world between generated (no data, targets, claim or documents: each seed makes
    /// them) and fixed (tables to fill, starting empty or from the fixed world set aside earlier).
    /// </summary>
    public void SetWorldSource(string source)
    {
        var world = Document["world"] as JsonObject ?? [];
        if (source == ScenarioForm.FixedSource && ScenarioDocumentEdits.ReadString(Document, ScenarioForm.WorldSource) != ScenarioForm.FixedSource)
        {
            world = _setAsideWorld ?? EmptyFixedWorld();
            _setAsideWorld = null;
        }
        else if (source == ScenarioForm.GeneratedSource && ScenarioDocumentEdits.ReadString(Document, ScenarioForm.WorldSource) == ScenarioForm.FixedSource)
        {
            _setAsideWorld = (JsonObject)world.DeepClone();
            world = [];
        }

        world["source"] = source;
        Document["world"] = world;
        Rewrite();
    }

    /// <summary>
    /// Takes JSON text typed by the author: when it parses to an object it becomes the document
    /// (true); otherwise the text is kept, <see cref="ParseError"/> says where it broke, and the
    /// document stays the last good one (false).
    /// </summary>
    public bool ApplyText(string text)
    {
        Text = text ?? "";
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(Text);
        }
        catch (JsonException exception)
        {
            ParseError = $"The JSON does not parse (line {exception.LineNumber + 1}, column {exception.BytePositionInLine + 1}): {Reason(exception)}";
            return false;
        }

        if (parsed is not JsonObject document)
        {
            ParseError = "The JSON parses, but a scenario is a JSON object ({ ... }).";
            return false;
        }

        Document = document;
        ParseError = null;
        return true;
    }

    private static JsonObject EmptyFixedWorld() => new()
    {
        ["data"] = new JsonObject
        {
            ["countries"] = new JsonArray(),
            ["cities"] = new JsonArray(),
            ["companies"] = new JsonArray(),
            ["people"] = new JsonArray(),
            ["products"] = new JsonArray(),
            ["events"] = new JsonArray(),
            ["local_language"] = "",
            ["local_vocabulary"] = new JsonObject(),
        },
        ["targets"] = new JsonObject(),
    };

    // System.Text.Json ends its messages with "LineNumber: 2 | BytePositionInLine: 4."; the
    // position is already said in words.
    private static string Reason(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length == 0,
        _ => false,
    };

    private static bool IsArrayItem(string path) =>
        JsonPointer.Segments(path) is [.., var last] && last.All(char.IsAsciiDigit);

    private void Rewrite()
    {
        Text = Document.ToJsonString(Indented);
        ParseError = null;
    }
}
