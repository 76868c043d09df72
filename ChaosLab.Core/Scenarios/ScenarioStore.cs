using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using Json.Pointer;
using Json.Schema;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Scenarios;

/// <summary>
/// Authored scenario documents, each version an immutable row (id + version is the key). A
/// document is stored only if its suite's schema and checks accept it; a stored version of a
/// built-in id revises that scenario in place (same suite, task and tier), any other id is new.
/// </summary>
public sealed class ScenarioStore : IScenarioSource
{
    private readonly IDbContextFactory<ChaosLabDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly FrozenDictionary<string, IScenarioFormat> _formats;
    private readonly FrozenDictionary<string, JsonSchema> _schemas;
    private readonly FrozenDictionary<string, ScenarioDocument> _builtIn;
    private readonly Lock _gate = new();

    // The latest stored version of each id, for resets (which are synchronous and must not
    // query the database each time). Versions are immutable, so only additions change it; it
    // is replaced, never modified. Another replica's additions arrive through Forget.
    private Dictionary<string, ScenarioDocument>? _latest;

    /// <summary>Raised after a write of this process committed new versions (replicas pass it on to each other).</summary>
    public event Action? VersionsAdded;

    public ScenarioStore(IDbContextFactory<ChaosLabDbContext> contexts, IEnumerable<IScenarioFormat> formats, TimeProvider time)
    {
        _contexts = contexts;
        _time = time;
        _formats = formats.ToFrozenDictionary(f => f.Suite, StringComparer.OrdinalIgnoreCase);
        // A registry per store: the process-wide one refuses a second schema with the same $id.
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        _schemas = _formats.ToFrozenDictionary(f => f.Key, f => JsonSchema.FromText(f.Value.Schema.ToJsonString(), build), StringComparer.OrdinalIgnoreCase);
        _builtIn = _formats.Values.SelectMany(f => f.BuiltIn).ToFrozenDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Stores <paramref name="document"/> as the next version of its id: its <c>version</c> must
    /// be one more than the latest (1 for a new id), so two authors editing the same version
    /// cannot silently overwrite each other. An invalid document is refused with every error.
    /// </summary>
    /// <param name="author">Who publishes it, as the caller names them (null when unknown).</param>
    public async Task<ScenarioAddResult> AddVersionAsync(JsonElement document, string? author = null, CancellationToken cancellationToken = default)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        var result = await write.AddAsync(document, author, cancellationToken);
        if (result.Succeeded)
        {
            await write.CommitAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Starts a write that adds versions together with whatever else the caller changes through
    /// <see cref="ScenarioWrite.Context"/> (a draft removed, a whole pack), all or nothing. It
    /// holds the database's write lock (PostgreSQL: the scenario writers' lock) from the start, so the
    /// latest versions and drafts it checks against cannot change before it commits. Resets see the
    /// added versions as soon as it commits.
    /// </summary>
    public async Task<ScenarioWrite> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        var context = await _contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken here, not at the first write.
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            await StoreWriteLock.TakeAsync(context.Database, StoreWriteLock.Scenarios, cancellationToken);
            return new ScenarioWrite(this, context, transaction);
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>Schema and suite errors of a document, without storing it.</summary>
    public IReadOnlyList<ScenarioError> Validate(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return [new ScenarioError("", "a scenario document is a JSON object")];
        }

        if (!document.TryGetProperty(ScenarioFields.Suite, out var suite) || suite.ValueKind != JsonValueKind.String
            || !_formats.TryGetValue(suite.GetString()!, out var format))
        {
            return [new ScenarioError("/" + ScenarioFields.Suite, $"suite must be one of: {string.Join(", ", _formats.Keys.Order(StringComparer.Ordinal))}")];
        }

        var results = _schemas[format.Suite].Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var schema = format.Schema;
            return [.. (results.Details ?? [results])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => new ScenarioError(d.InstanceLocation.ToString(), Message(schema, d, e.Key, e.Value))))
                .Distinct()];
        }

        return format.Check(document);
    }

    /// <summary>
    /// The validator's message, with the allowed values when a value is not in an enum: "should
    /// match one of the values specified by the enum" alone leaves an author guessing. The values
    /// are read from the suite's schema at the failing keyword's location.
    /// </summary>
    private static string Message(JsonObject schema, EvaluationResults result, string keyword, string message) =>
        keyword == "enum" && SchemaAt(schema, result.EvaluationPath)?["enum"] is JsonArray values
            ? $"{message}: {string.Join(", ", values.Select(v => v?.ToJsonString() ?? "null"))}"
            : message;

    /// <summary>The subschema an evaluation path leads to, following local <c>$ref</c>s; null when it cannot be followed.</summary>
    private static JsonNode? SchemaAt(JsonObject root, JsonPointer path)
    {
        JsonNode? node = root;
        string? beforePrevious = null, previous = null;
        var segments = path.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        foreach (var segment in segments)
        {
            // The validator names an array's item schema twice (".../items/items/properties/..."):
            // one step into "items" is the item schema.
            if (segment == "items" && previous == "items" && beforePrevious != "properties")
            {
                continue;
            }

            (beforePrevious, previous) = (previous, segment);
            if (segment == "$ref")
            {
                if (node?["$ref"]?.GetValue<string>() is not { } reference || !reference.StartsWith('#')
                    || !JsonPointer.TryParse(Uri.UnescapeDataString(reference[1..]), out var target) || !target.TryEvaluate(root, out node))
                {
                    return null;
                }

                continue;
            }

            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, System.Globalization.CultureInfo.InvariantCulture, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>One stored version (the latest when <paramref name="version"/> is null), or null.</summary>
    public async Task<ScenarioDocument?> FindAsync(string id, int? version, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var versions = context.Scenarios.AsNoTracking().Where(s => s.Id == id);
        var row = version is { } v
            ? await versions.FirstOrDefaultAsync(s => s.Version == v, cancellationToken)
            : await versions.OrderByDescending(s => s.Version).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToDocument(row);
    }

    /// <summary>Every stored version of an id, oldest first, without their documents.</summary>
    public async Task<IReadOnlyList<StoredVersion>> VersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        return await StoredVersions(context.Scenarios.Where(s => s.Id == id).OrderBy(s => s.Version)).ToListAsync(cancellationToken);
    }

    /// <summary>The latest version of every stored id without its document, ordered by id.</summary>
    public async Task<IReadOnlyList<StoredVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var versions = await StoredVersions(context.Scenarios).ToListAsync(cancellationToken);
        return [.. versions.GroupBy(v => v.Id, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.MaxBy(v => v.Version)!)
            .OrderBy(v => v.Id, StringComparer.Ordinal)];
    }

    /// <summary>Every stored version of the given ids (of all ids when null), ordered by id then version.</summary>
    public async Task<IReadOnlyList<ScenarioDocument>> ListVersionsAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var rows = await context.Scenarios.AsNoTracking().ToListAsync(cancellationToken);
        var wanted = ids?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. rows.Where(r => wanted is null || wanted.Contains(r.Id))
            .OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Version)
            .Select(ToDocument)];
    }

    /// <summary>The latest version of every stored id, ordered by id.</summary>
    public async Task<IReadOnlyList<ScenarioDocument>> ListLatestAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var rows = await context.Scenarios.AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase)
            .Select(g => ToDocument(g.MaxBy(r => r.Version)!))
            .OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    public ScenarioDocument? FindLatest(string suite, string id)
    {
        var latest = Latest();
        return latest.TryGetValue(id, out var document) && string.Equals(document.Suite, suite, StringComparison.OrdinalIgnoreCase) ? document : null;
    }

    private Dictionary<string, ScenarioDocument> Latest()
    {
        lock (_gate)
        {
            if (_latest is null)
            {
                using var context = _contexts.CreateDbContext();
                _latest = context.Scenarios.AsNoTracking().AsEnumerable()
                    .GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => ToDocument(g.MaxBy(r => r.Version)!), StringComparer.OrdinalIgnoreCase);
            }

            return _latest;
        }
    }

    /// <summary>Takes versions a write committed into the snapshot resets read.</summary>
    internal void Remember(IReadOnlyList<ScenarioDocument> added)
    {
        lock (_gate)
        {
            // Copy on write: resets read the snapshot they got without holding the lock.
            if (_latest is not null && added.Count > 0)
            {
                var latest = new Dictionary<string, ScenarioDocument>(_latest, StringComparer.OrdinalIgnoreCase);
                foreach (var document in added.Where(d => !latest.TryGetValue(d.Id, out var known) || known.Version < d.Version))
                {
                    latest[document.Id] = document;
                }

                _latest = latest;
            }
        }

        if (added.Count > 0)
        {
            VersionsAdded?.Invoke();
        }
    }

    /// <summary>Another replica stored versions: the next reset reads the latest versions from the store again.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _latest = null;
        }
    }

    /// <summary>The time a version is stored at.</summary>
    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>A built-in scenario with this id, or null.</summary>
    internal ScenarioDocument? BuiltIn(string id) => _builtIn.GetValueOrDefault(id);

    internal static ScenarioError? Continuity(ScenarioDocument? previous, ScenarioDocument added)
    {
        var next = (previous?.Version ?? 0) + 1;
        if (added.Version != next)
        {
            return new ScenarioError("/" + ScenarioFields.Version, previous is null
                ? $"'{added.Id}' is a new scenario: its first version is 1"
                : $"the latest version of '{added.Id}' is {previous.Version}: the next one is {next}");
        }

        // A reset that names no scenario draws by id from its task and tier; a version that moved
        // would change which pool the id is in, so moving is a new id.
        return previous is not null && (previous.Suite, previous.TaskId, previous.Tier) != (added.Suite, added.TaskId, added.Tier)
            ? new ScenarioError("", $"'{added.Id}' is a {previous.Suite} {previous.TaskId}/{previous.Tier} scenario; a new version keeps its suite, task and tier (use a new id to move it)")
            : null;
    }

    private static IQueryable<StoredVersion> StoredVersions(IQueryable<ScenarioEntity> rows) => rows.AsNoTracking()
        .Select(s => new StoredVersion(s.Id, s.Version, s.Suite, s.TaskId, s.Tier, s.Family, s.Title, s.Author, s.CreatedAt));

    internal static ScenarioDocument ToDocument(ScenarioEntity row)
    {
        using var json = JsonDocument.Parse(row.DocumentJson);
        return ScenarioDocument.From(json.RootElement, ScenarioSource.Stored);
    }
}

/// <summary>One stored version without its document.</summary>
/// <param name="PublishedAt">When it was stored: published, imported or added.</param>
public sealed record StoredVersion(
    string Id, int Version, string Suite, string TaskId, string Tier, string Family, string Title, string? Author, DateTimeOffset PublishedAt);

/// <summary>The stored version, or why the document was refused.</summary>
public sealed record ScenarioAddResult(ScenarioDocument? Document, IReadOnlyList<ScenarioError> Errors)
{
    public bool Succeeded => Document is not null;

    public static ScenarioAddResult Success(ScenarioDocument document) => new(document, []);

    public static ScenarioAddResult Invalid(IReadOnlyList<ScenarioError> errors) => new(null, errors);
}
