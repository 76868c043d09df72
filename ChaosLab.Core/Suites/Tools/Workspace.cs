using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Everything one episode can read and change: the world's database and documents (built
/// lazily on first use, so a reset costs microseconds), virtual files, scratchpad, reports,
/// notifications, scheduled tasks, tickets and human-review requests.
/// </summary>
public sealed class Workspace : IDisposable
{
    public const string WritableRoot = "/workspace/";

    private readonly WorldDatabase?[] _databases = new WorldDatabase?[2];
    private readonly DocumentCorpus?[] _corpora = new DocumentCorpus?[2];

    public Workspace(ScenarioInstance scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Scenario = scenario;
        foreach (var t in scenario.Tickets)
        {
            Tickets[t.Id] = new TicketState(t.Id, t.Title, t.Body, t.Status, t.Assignee);
        }
    }

    public ScenarioInstance Scenario { get; }

    public World World => Scenario.World;

    public Dictionary<string, string> Scratchpad { get; } = new(StringComparer.Ordinal);

    /// <summary>Files the agent wrote (paths under <see cref="WritableRoot"/>).</summary>
    public Dictionary<string, string> WrittenFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What code execution may read: the files the agent wrote directly under
    /// <see cref="WritableRoot"/>, by file name, and nothing derived from the world. Code is not a
    /// path to facts of its own: a fact reaches it only through a retrieval call (with its faults)
    /// and the agent writing down what it received. Nested paths and the sandbox's own code file
    /// name cannot be staged as plain file names, so they are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> FilesForCode()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, content) in WrittenFiles)
        {
            var name = path[WritableRoot.Length..];
            if (name.Length is > 0 and <= 255 && name is not "." and not ".." && name.IndexOfAny(['/', '\0']) < 0 && name != BubblewrapArguments.CodeFileName)
            {
                files[name] = content;
            }
        }

        return files;
    }

    public List<JsonObject> Reports { get; } = [];

    public List<JsonObject> Notifications { get; } = [];

    public List<JsonObject> ScheduledTasks { get; } = [];

    public List<JsonObject> ReviewRequests { get; } = [];

    public SortedDictionary<string, TicketState> Tickets { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rows the agent inserted into the agent_notes table.</summary>
    public int InsertedRows { get; set; }

    /// <summary>Whether a tool's data is really a year old in this scenario (task2's outdated source).</summary>
    public Snapshot SnapshotFor(string tool)
    {
        var outdated = Scenario.Definition.OutdatedSource;
        if (outdated is null)
        {
            return Snapshot.Current;
        }

        return ToolNames.SourceOf(outdated) == ToolNames.SourceOf(tool) ? Snapshot.Previous : Snapshot.Current;
    }

    public DocumentCorpus Corpus(Snapshot snapshot) => _corpora[(int)snapshot] ??= snapshot == Snapshot.Current
        ? DocumentCorpus.Build(Scenario, Snapshot.Current)
        : DocumentCorpus.Build(Scenario, Snapshot.Previous, World.PreviousAsOf.AddDays(45));

    internal WorldDatabase Database(Snapshot snapshot) => _databases[(int)snapshot] ??= WorldDatabase.Create(World, snapshot, () => Corpus(snapshot));

    /// <summary>The read-only files under /data, rendered from the given snapshot.</summary>
    public string? ReadDataFile(string path, Snapshot snapshot) => path switch
    {
        "/data/README.md" => "# Data exports\nCSV exports of the statistics and company registers. `countries.csv` and `companies.csv` are refreshed yearly; older exports are kept under `/data/exports/`.\n",
        "/data/countries.csv" => CountriesCsv(snapshot),
        "/data/companies.csv" => CompaniesCsv(snapshot),
        "/data/exports/countries_2024.csv" => CountriesCsv(Snapshot.Previous),
        "/data/exports/companies_2024.csv" => CompaniesCsv(Snapshot.Previous),
        _ => null,
    };

    public static IReadOnlyList<string> DataFiles { get; } = ["/data/README.md", "/data/countries.csv", "/data/companies.csv", "/data/exports/countries_2024.csv", "/data/exports/companies_2024.csv"];

    private string CountriesCsv(Snapshot s)
    {
        var b = new StringBuilder();
        b.Append("# exported ").Append(Render.Date(World.AsOf(s))).Append(" (figures for ").Append(World.Year(s)).Append(")\n");
        b.Append("name,capital,population,area_km2,gdp_usd_billions,gdp_per_capita_usd\n");
        foreach (var c in World.Countries)
        {
            b.Append(c.Name).Append(',').Append(c.Capital).Append(',').Append(Render.Int(c.PopulationAt(s))).Append(',').Append(Render.Int(c.AreaKm2)).Append(',')
                .Append(Render.Billions(c.GdpAt(s))).Append(',').Append(Render.Int(c.GdpPerCapitaAt(s))).Append('\n');
        }

        return b.ToString();
    }

    private string CompaniesCsv(Snapshot s)
    {
        var b = new StringBuilder();
        b.Append("# exported ").Append(Render.Date(World.AsOf(s))).Append(" (fiscal year ").Append(World.Year(s)).Append(")\n");
        b.Append("name,headquarters_city,ceo,fiscal_year,revenue_usd_billions,employees\n");
        foreach (var c in World.Companies)
        {
            b.Append(c.Name).Append(',').Append(c.HeadquartersCity).Append(',').Append(c.CeoAt(s)).Append(',').Append(World.Year(s)).Append(',')
                .Append(Render.Billions(c.RevenueAt(s))).Append(',').Append(c.EmployeesAt(s).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return b.ToString();
    }

    /// <summary>What the workspace holds now, for the episode state (no answer key).</summary>
    public JsonObject Summary() => new()
    {
        ["tickets"] = new JsonArray([.. Tickets.Values.Select(t => (JsonNode)t.ToJson())]),
        ["scratchpad_keys"] = new JsonArray([.. Scratchpad.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]),
        ["files_written"] = new JsonArray([.. WrittenFiles.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]),
        ["reports"] = Reports.Count,
        ["notifications"] = Notifications.Count,
        ["scheduled_tasks"] = ScheduledTasks.Count,
        ["human_review_requests"] = ReviewRequests.Count,
        ["inserted_rows"] = InsertedRows,
    };

    /// <summary>Hands the databases back (an ended episode's database is emptied and reused by a later one), so none is reachable from here afterwards.</summary>
    public void Dispose()
    {
        for (var i = 0; i < _databases.Length; i++)
        {
            _databases[i]?.Dispose();
            _databases[i] = null;
        }
    }
}

/// <summary>A ticket as it stands in the tracker.</summary>
public sealed class TicketState(string id, string title, string body, string status, string assignee)
{
    public static IReadOnlyList<string> Statuses { get; } = ["open", "in_progress", "resolved", "closed"];

    public string Id { get; } = id;

    public string Title { get; } = title;

    public string Body { get; } = body;

    public string Status { get; set; } = status;

    public string Assignee { get; set; } = assignee;

    public SortedDictionary<string, JsonNode?> Fields { get; } = new(StringComparer.Ordinal);

    public List<string> Comments { get; } = [];

    public JsonObject ToJson()
    {
        var fields = new JsonObject();
        foreach (var (k, v) in Fields)
        {
            fields[k] = v?.DeepClone();
        }

        return new JsonObject
        {
            ["id"] = Id,
            ["title"] = Title,
            ["body"] = Body,
            ["status"] = Status,
            ["assignee"] = Assignee,
            ["fields"] = fields,
            ["comments"] = new JsonArray([.. Comments.Select(c => (JsonNode)c)]),
        };
    }
}
