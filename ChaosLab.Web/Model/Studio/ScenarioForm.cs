using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Studio;

/// <summary>How a form field edits its JSON value.</summary>
public enum FieldKind
{
    Text,
    LongText,
    WholeNumber,
    Number,
    Boolean,

    /// <summary>One of the schema's <c>enum</c> values at the field.</summary>
    Choice,

    /// <summary>A date as the documents write it (<c>yyyy-MM-dd</c>).</summary>
    Date,

    /// <summary>An array of strings, typed comma-separated.</summary>
    TextList,

    /// <summary>An array of whole numbers, typed comma-separated.</summary>
    WholeNumberList,
}

/// <summary>A field of the form: the property it edits (relative to its object) and how.</summary>
/// <param name="NewValue">The value a new row starts with; null leaves the property out.</param>
public sealed record FormField(string Name, string Label, FieldKind Kind, Func<JsonNode?>? NewValue = null);

/// <summary>A list of objects edited as a table, one row per object, one column per field.</summary>
public sealed record FormTable(string Path, string Title, string RowNoun, IReadOnlyList<FormField> Columns)
{
    /// <summary>A row as a new one starts: every column's starting value.</summary>
    public JsonObject NewRow()
    {
        var row = new JsonObject();
        foreach (var column in Columns)
        {
            if (column.NewValue?.Invoke() is { } value)
            {
                row[column.Name] = value;
            }
        }

        return row;
    }
}

/// <summary>A JSON object of strings edited as name/value rows (world targets by role, vocabulary).</summary>
public sealed record FormMap(string Path, string Title, string KeyLabel, string ValueLabel);

/// <summary>
/// The tools scenario form: which fields and tables it shows, at which pointers, following the
/// document's JSON shape. The component renders exactly these, so <see cref="FieldPointers"/>
/// is what errors can be pinned to.
/// </summary>
public static class ScenarioForm
{
    public const string WorldSource = "/world/source";
    public const string FixedSource = "fixed";
    public const string GeneratedSource = "generated";

    private static Func<JsonNode?> Text(string value = "") => () => JsonValue.Create(value);

    private static Func<JsonNode?> Zero => () => JsonValue.Create(0);

    public static IReadOnlyList<(string Path, FormField Field)> General { get; } =
    [
        ("/title", new("title", "Title", FieldKind.Text)),
        ("/question", new("question", "Question (prompt)", FieldKind.LongText)),
        ("/task", new("task", "Task", FieldKind.Choice)),
        ("/tier", new("tier", "Tier", FieldKind.Choice)),
        ("/family", new("family", "Family", FieldKind.Choice)),
        ("/step_limit", new("step_limit", "Step limit", FieldKind.WholeNumber)),
        ("/tags", new("tags", "Tags (comma-separated)", FieldKind.TextList)),
        ("/notes", new("notes", "Notes for other authors", FieldKind.LongText)),
    ];

    public static (string Path, FormField Field) Source { get; } = (WorldSource, new("source", "World", FieldKind.Choice));

    /// <summary>Fields of a fixed world beside its tables.</summary>
    public static IReadOnlyList<(string Path, FormField Field)> FixedWorld { get; } =
    [
        ("/world/data/local_language", new("local_language", "Local language", FieldKind.Text)),
        ("/world/claimed_revenue_usd_billions", new("claimed_revenue_usd_billions", "Claimed revenue (USD bn, revenue claims)", FieldKind.Number)),
    ];

    public static IReadOnlyList<FormMap> FixedWorldMaps { get; } =
    [
        new("/world/targets", "Targets", "Role", "Name"),
        new("/world/data/local_vocabulary", "Local vocabulary", "Word", "Meaning"),
    ];

    /// <summary>The world's entity lists (fields as in ChaosLab.Core's World records).</summary>
    public static IReadOnlyList<FormTable> WorldTables { get; } =
    [
        new("/world/data/countries", "Countries", "country",
        [
            new("name", "Name", FieldKind.Text, Text()), new("capital", "Capital", FieldKind.Text, Text()),
            new("region", "Region", FieldKind.Text, Text()), new("currency", "Currency", FieldKind.Text, Text()),
            new("area_km2", "Area (km²)", FieldKind.WholeNumber, Zero), new("population", "Population", FieldKind.WholeNumber, Zero),
            new("previous_population", "Previous population", FieldKind.WholeNumber, Zero),
            new("gdp_usd_billions", "GDP (USD bn)", FieldKind.Number, Zero),
            new("previous_gdp_usd_billions", "Previous GDP (USD bn)", FieldKind.Number, Zero),
        ]),
        new("/world/data/cities", "Cities", "city",
        [
            new("name", "Name", FieldKind.Text, Text()), new("country", "Country", FieldKind.Text, Text()),
            new("population", "Population", FieldKind.WholeNumber, Zero),
            new("is_capital", "Capital", FieldKind.Boolean, () => JsonValue.Create(false)),
        ]),
        new("/world/data/companies", "Companies", "company",
        [
            new("name", "Name", FieldKind.Text, Text()), new("headquarters_city", "Headquarters", FieldKind.Text, Text()),
            new("country", "Country", FieldKind.Text, Text()), new("sector", "Sector", FieldKind.Text, Text()),
            new("ceo", "CEO", FieldKind.Text, Text()), new("previous_ceo", "Previous CEO", FieldKind.Text, Text()),
            new("founded", "Founded", FieldKind.WholeNumber, () => JsonValue.Create(2000)),
            new("revenue_usd_billions", "Revenue (USD bn)", FieldKind.Number, Zero),
            new("previous_revenue_usd_billions", "Previous revenue", FieldKind.Number, Zero),
            new("net_income_usd_billions", "Net income (USD bn)", FieldKind.Number, Zero),
            new("previous_net_income_usd_billions", "Previous net income", FieldKind.Number, Zero),
            new("employees", "Employees", FieldKind.WholeNumber, Zero), new("previous_employees", "Previous employees", FieldKind.WholeNumber, Zero),
        ]),
        new("/world/data/people", "People", "person",
        [
            new("name", "Name", FieldKind.Text, Text()), new("role", "Role", FieldKind.Text, Text()),
            new("company", "Company", FieldKind.Text, Text()), new("since", "Since", FieldKind.WholeNumber, () => JsonValue.Create(2020)),
        ]),
        new("/world/data/products", "Products", "product",
        [
            new("name", "Name", FieldKind.Text, Text()), new("company", "Company", FieldKind.Text, Text()),
            new("category", "Category", FieldKind.Text, Text()),
            new("launch_date", "Launch date", FieldKind.Date, Text("2025-01-01")),
            new("planned_launch", "Planned launch", FieldKind.Date, Text("2025-01-01")),
        ]),
        new("/world/data/events", "Events", "event",
        [
            new("name", "Name", FieldKind.Text, Text()), new("city", "City", FieldKind.Text, Text()),
            new("kind", "Kind", FieldKind.Text, Text()),
            new("date", "Date", FieldKind.Date, Text("2025-01-01")), new("planned_date", "Planned date", FieldKind.Date, Text("2025-01-01")),
        ]),
    ];

    public static FormTable Documents { get; } = new("/world/documents", "Documents", "document",
    [
        new("id", "Id", FieldKind.Text, Text()), new("title", "Title", FieldKind.Text, Text()),
        new("source", "Source", FieldKind.Text, Text()), new("date", "Date", FieldKind.Date, Text("2025-01-01")),
        new("authority", "Authority", FieldKind.Choice, Text("official")), new("text", "Text", FieldKind.LongText, Text()),
    ]);

    public static IReadOnlyList<(string Path, FormField Field)> FaultFields { get; } =
    [
        ("/faults/background_probability", new("background_probability", "Background probability", FieldKind.Number)),
        ("/faults/outdated_source", new("outdated_source", "Outdated source (task2)", FieldKind.Choice)),
    ];

    public static IReadOnlyList<FormTable> FaultTables { get; } =
    [
        new("/faults/bad_paths", "Bad paths", "bad path",
        [
            new("tool", "Tool", FieldKind.Choice, Text()), new("kind", "Kind", FieldKind.Choice, Text()),
        ]),
        new("/faults/tool_probabilities", "Per-tool probabilities", "probability",
        [
            new("tool", "Tool", FieldKind.Choice, Text()), new("kind", "Kind", FieldKind.Choice, Text()),
            new("probability", "Probability", FieldKind.Number, () => JsonValue.Create(0.1)),
        ]),
        new("/faults/scripted", "Scripted faults", "scripted fault",
        [
            new("tool", "Tool", FieldKind.Choice, Text()), new("kind", "Kind", FieldKind.Choice, Text()),
            new("attempts", "Attempts (1 = first call)", FieldKind.WholeNumberList, () => new JsonArray(1)),
            new("arguments_contain", "Arguments contain (comma-separated)", FieldKind.TextList),
        ]),
    ];

    public static FormTable Answer { get; } = new("/answer", "Answer overrides", "override",
    [
        new("slot", "Slot", FieldKind.Text, Text()), new("tolerance", "Tolerance", FieldKind.Number),
        new("weight", "Weight", FieldKind.Number),
    ]);

    /// <summary>Every path the form has a field, map or table for.</summary>
    public static IEnumerable<string> Paths =>
        General.Select(f => f.Path).Append(Source.Path).Concat(FixedWorld.Select(f => f.Path)).Concat(FixedWorldMaps.Select(m => m.Path))
            .Concat(WorldTables.Select(t => t.Path)).Append(Documents.Path).Concat(FaultFields.Select(f => f.Path))
            .Concat(FaultTables.Select(t => t.Path)).Append(Answer.Path);

    public static bool IsFixed(JsonObject document) => ScenarioDocumentEdits.ReadString(document, WorldSource) == FixedSource;

    /// <summary>Every path the form shows a field at for <paramref name="document"/>: the places an error can be pinned.</summary>
    public static IEnumerable<string> FieldPointers(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var pointers = General.Select(f => f.Path).Append(Source.Path).Concat(FaultFields.Select(f => f.Path));
        IEnumerable<FormTable> tables = [.. FaultTables, Answer];
        if (IsFixed(document))
        {
            pointers = pointers.Concat(FixedWorld.Select(f => f.Path));
            tables = tables.Concat(WorldTables).Append(Documents);
            pointers = pointers.Concat(FixedWorldMaps.SelectMany(m => Keys(document, m).Select(k => JsonPointer.Append(m.Path, k))));
        }

        return pointers.Concat(tables.SelectMany(t => Cells(document, t)));
    }

    /// <summary>The keys of a map, in document order.</summary>
    public static IReadOnlyList<string> Keys(JsonObject document, FormMap map) =>
        ScenarioDocumentEdits.Find(document, map.Path) is JsonObject values ? [.. values.Select(p => p.Key)] : [];

    /// <summary>The rows of a table (empty when the document has none).</summary>
    public static int RowCount(JsonObject document, FormTable table) =>
        ScenarioDocumentEdits.Find(document, table.Path) is JsonArray rows ? rows.Count : 0;

    private static IEnumerable<string> Cells(JsonObject document, FormTable table) =>
        Enumerable.Range(0, RowCount(document, table))
            .SelectMany(i => table.Columns.Select(c => JsonPointer.Append(JsonPointer.Append(table.Path, i), c.Name)));
}
