using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using T = ChaosLab.Core.Suites.Tools.JsonTypes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The 30 tools: definitions (what agents see) and handlers, built once per process.</summary>
public static class ToolRegistry
{
    private static readonly Dictionary<string, (ToolDefinition Definition, ToolHandler? Handler)> Entries = Build();

    public static IReadOnlyList<ToolDefinition> Definitions { get; } = [.. Entries.Values.Select(e => e.Definition)];

    public static IReadOnlyList<string> Names { get; } = [.. Definitions.Select(d => d.Name)];

    /// <summary>The tools' argument schemas, compiled once for every session.</summary>
    public static ToolCatalog Catalog { get; } = new(Definitions.Select(d => new ToolDescriptor(d.Name, d.Description, d.Category, d.ParameterSchema)));

    public static ToolDefinition? Find(string name) => Entries.TryGetValue(name, out var e) ? e.Definition : null;

    internal static ToolHandler? Handler(string name) => Entries.TryGetValue(name, out var e) ? e.Handler : null;

    // Kept as text: parsing gives every caller its own tree, with no shared JsonNode read across threads.
    private static readonly string ToolListJson = BuildJson().ToJsonString();

    /// <summary>The tool list as agents see it (name, category, description, input_schema), a fresh tree per call.</summary>
    public static JsonArray ToJson() => JsonNode.Parse(ToolListJson)!.AsArray();

    private static JsonArray BuildJson()
    {
        var array = new JsonArray();
        foreach (var d in Definitions)
        {
            array.Add(new JsonObject { ["name"] = d.Name, ["category"] = d.Category, ["description"] = d.Description, ["input_schema"] = d.ParameterSchema.DeepClone() });
        }

        return array;
    }

    private static Dictionary<string, (ToolDefinition, ToolHandler?)> Build()
    {
        var d = new Dictionary<string, (ToolDefinition, ToolHandler?)>(StringComparer.Ordinal);
        void Add(string name, string category, string description, ToolHandler? handler, params ToolParameter[] parameters)
            => d[name] = (new ToolDefinition(name, category, description, parameters), handler is null ? null : FiniteResults.Guard(handler));

        const string R = "retrieval", C = "computation", S = "storage", V = "validation", A = "action";

        Add(ToolNames.WebSearch, R, "Search the web (chaos.local) and get the top pages with title, URL, snippet and date.", RetrievalTools.WebSearch,
            new ToolParameter("query", T.String, "search terms", MaxLength: 300));
        Add(ToolNames.FetchUrl, R, "Fetch a page by URL (only https://chaos.local/... is reachable).", RetrievalTools.FetchUrl,
            new ToolParameter("url", T.String, "absolute URL", MaxLength: 500));
        Add(ToolNames.KnowledgeBaseLookup, R, "Look up an entity (country, city, company, person, product, event) in the knowledge base by exact name.", RetrievalTools.KnowledgeBaseLookup,
            new ToolParameter("entity", T.String, "the entity's name", MaxLength: 200));
        Add(ToolNames.DatabaseQuery, R, "Run one read-only SQLite SELECT. Tables: countries, cities, companies, financials, people, products, events, documents, agent_notes. At most 50 rows.", RetrievalTools.DatabaseQuery,
            new ToolParameter("sql", T.String, "a single SELECT statement", MaxLength: 2000));
        Add(ToolNames.DocumentSearch, R, "Full-text search over filings, statistics releases, analyst notes and press releases; results carry source, date and reliability.", RetrievalTools.DocumentSearch,
            new ToolParameter("query", T.String, "search terms", MaxLength: 300));
        Add(ToolNames.GetCurrentDatetime, R, "The current date and time in a time zone (UTC, an offset like +05:30, or a common zone name).", RetrievalTools.GetCurrentDatetime,
            new ToolParameter("timezone", T.String, "time zone", MaxLength: 64));
        Add(ToolNames.ReadFile, R, "Read a file or list a directory (/data holds CSV exports; /workspace holds files you wrote).", RetrievalTools.ReadFile,
            new ToolParameter("path", T.String, "absolute path, e.g. /data/countries.csv", MaxLength: 300));
        Add(ToolNames.ApiCall, R, "Call an internal API: internal://entity/<name>, internal://financials/<company>?year=<yyyy>, internal://tickets/<id>.", RetrievalTools.ApiCall,
            new ToolParameter("url", T.String, "internal:// URL", MaxLength: 500),
            new ToolParameter("method", T.String, "HTTP method", MaxLength: 10, Enum: ["GET", "POST", "PUT", "DELETE"]));

        Add(ToolNames.Calculator, C, "Evaluate an arithmetic expression: + - * / % ^, parentheses, sqrt, abs, round(x, digits), min, max, ln, log10, pi.", ComputationTools.Calculate,
            new ToolParameter("expression", T.String, "expression", MaxLength: 500));
        Add(ToolNames.PythonExecute, C, "Run Python 3 code in an isolated sandbox (no network) and get stdout/stderr. The code sees only files you wrote with write_file directly under /workspace/ (read-only, in the working directory, by file name); no data is preloaded.", ComputationTools.PythonExecute,
            new ToolParameter("code", T.String, "Python source", MaxLength: 20_000));
        Add(ToolNames.TextExtract, C, "Extract matches from text with a regular expression or a named pattern (numbers, money, dates, percentages, emails, urls).", ComputationTools.TextExtract,
            new ToolParameter("text", T.String, "text to search", MaxLength: 20_000),
            new ToolParameter("pattern", T.String, "regex or named pattern", MaxLength: 200));
        Add(ToolNames.DataTransform, C, "Apply an operation to a list of numbers.", ComputationTools.DataTransform,
            new ToolParameter("data", T.Array | T.String, "numbers (array, or text with numbers)", MaxLength: 20_000),
            new ToolParameter("operation", T.String, "operation", MaxLength: 20, Enum: ["sum", "mean", "median", "min", "max", "count", "sort_ascending", "sort_descending", "unique", "ratio", "difference", "percent_change", "round"]));
        Add(ToolNames.CompareValues, C, "Compare two numbers (or texts holding one number each) with a relative tolerance.", ComputationTools.CompareValues,
            new ToolParameter("value1", T.Number | T.String, "first value", MaxLength: 200),
            new ToolParameter("value2", T.Number | T.String, "second value", MaxLength: 200),
            new ToolParameter("tolerance", T.Number, "relative tolerance, e.g. 0.02 for 2%", Minimum: 0, Maximum: 1));
        Add(ToolNames.JsonQuery, C, "Query JSON with a path: $.a.b, [0], [*], ['name'], .length().", ComputationTools.JsonQuery,
            new ToolParameter("data", T.Object | T.Array | T.String, "JSON value or JSON text", MaxLength: 50_000),
            new ToolParameter("query", T.String, "path", MaxLength: 200));
        Add(ToolNames.Translate, C, "Translate text word by word with a glossary (en, fr, de, es, and the local language 'local').", ComputationTools.Translate,
            new ToolParameter("text", T.String, "text", MaxLength: 5_000),
            new ToolParameter("target_language", T.String, "target language", MaxLength: 10, Enum: ["en", "fr", "de", "es", "local"]));

        Add(ToolNames.ScratchpadWrite, S, "Store a note under a key.", StorageTools.ScratchpadWrite,
            new ToolParameter("key", T.String, "key", MaxLength: 100),
            new ToolParameter("value", T.String, "value", MaxLength: 10_000));
        Add(ToolNames.ScratchpadRead, S, "Read a note by key.", StorageTools.ScratchpadRead,
            new ToolParameter("key", T.String, "key", MaxLength: 100));
        Add(ToolNames.WriteFile, S, "Write a file under /workspace/.", StorageTools.WriteFile,
            new ToolParameter("path", T.String, "absolute path under /workspace/", MaxLength: 300),
            new ToolParameter("content", T.String, "file content", MaxLength: 100_000));
        Add(ToolNames.DatabaseInsert, S, "Insert a row {key, value} into the agent_notes table.", StorageTools.DatabaseInsert,
            new ToolParameter("table", T.String, "table name (agent_notes)", MaxLength: 64),
            new ToolParameter("data", T.Object, "the row: {\"key\": ..., \"value\": ...}", MaxLength: 10_000));
        Add(ToolNames.CreateReport, S, "Create a report.", StorageTools.CreateReport,
            new ToolParameter("content", T.String, "report body", MaxLength: 20_000),
            new ToolParameter("title", T.String, "title", Required: false, MaxLength: 200),
            new ToolParameter("findings", T.Array, "list of findings", Required: false, MaxLength: 10_000));

        Add(ToolNames.ValidateUrl, V, "Check a URL's syntax and whether it is reachable.", ValidationTools.ValidateUrl,
            new ToolParameter("url", T.String, "URL", MaxLength: 500));
        Add(ToolNames.ValidateData, V, "Validate JSON data against a JSON Schema (type, required, properties, enum, minimum, maximum, items, lengths).", ValidationTools.ValidateData,
            new ToolParameter("data", T.Any, "data (JSON value or JSON text)", MaxLength: 50_000),
            new ToolParameter("schema", T.Object, "JSON Schema", MaxLength: 10_000));
        Add(ToolNames.CheckConsistency, V, "Compare the figures stated in two texts and list which agree within 2% and which differ.", ValidationTools.CheckConsistency,
            new ToolParameter("source1", T.String, "first text", MaxLength: 20_000),
            new ToolParameter("source2", T.String, "second text", MaxLength: 20_000));
        Add(ToolNames.FactCheck, V, "Set a claim against evidence you retrieved: which of the claim's figures the evidence states (within 2%), the closest figure, the sentences stating them, and the claim's names the evidence never mentions. It looks nothing up.", ValidationTools.FactCheck,
            new ToolParameter("claim", T.String, "the claim", MaxLength: 1_000),
            new ToolParameter("evidence", T.String, "text you retrieved: a page, a document, a tool result", MaxLength: 20_000));
        Add(ToolNames.HashVerify, V, "Hash data and compare with an expected hash.", ValidationTools.HashVerify,
            new ToolParameter("data", T.String, "data", MaxLength: 50_000),
            new ToolParameter("expected_hash", T.String, "hex digest", MaxLength: 200),
            new ToolParameter("algorithm", T.String, "algorithm", Required: false, MaxLength: 10, Enum: ["sha256", "sha1", "md5", "sha512"]));

        Add(ToolNames.SendNotification, A, "Send a notification to the team.", ActionTools.SendNotification,
            new ToolParameter("message", T.String, "message", MaxLength: 2_000));
        Add(ToolNames.ScheduleTask, A, "Schedule a task for a future time (ISO 8601).", ActionTools.ScheduleTask,
            new ToolParameter("task", T.String, "what to do", MaxLength: 500),
            new ToolParameter("time", T.String, "when, e.g. 2026-04-09T09:00:00Z", MaxLength: 40));
        Add(ToolNames.UpdateTicket, A, "Update a ticket: {\"status\": open|in_progress|resolved|closed, \"comment\": text, \"assignee\": name, \"fields\": {name: value}}.", ActionTools.UpdateTicket,
            new ToolParameter("ticket_id", T.String, "ticket id, e.g. TCK-1001", MaxLength: 40),
            new ToolParameter("update", T.Object, "changes to apply", MaxLength: 10_000));
        Add(ToolNames.RequestHumanReview, A, "Ask for a human review (queued; answered after the episode).", ActionTools.RequestHumanReview,
            new ToolParameter("reason", T.String, "why", MaxLength: 2_000));
        Add(ToolNames.SubmitAnswer, A, "Submit the final answer and end the episode.", null,
            new ToolParameter("answer", T.String | T.Object, "the answer: text, or an object keyed by what the question asks", MaxLength: 5_000),
            new ToolParameter("reasoning", T.String, "how you got it", Required: false, MaxLength: 5_000));
        return d;
    }
}
