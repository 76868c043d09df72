using System.Collections.Frozen;
using System.Text.Json;
using ChaosLab.Core.Persistence;
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
    // is replaced, never modified. Another replica's additions are seen after a restart.
    private Dictionary<string, ScenarioDocument>? _latest;

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
    public async Task<ScenarioAddResult> AddVersionAsync(JsonElement document, CancellationToken cancellationToken = default)
    {
        if (Validate(document) is { Count: > 0 } errors)
        {
            return ScenarioAddResult.Invalid(errors);
        }

        var added = ScenarioDocument.From(document, ScenarioSource.Stored);
        var previous = await FindAsync(added.Id, null, cancellationToken) ?? _builtIn.GetValueOrDefault(added.Id);
        if (Continuity(previous, added) is { } conflict)
        {
            return ScenarioAddResult.Invalid([conflict]);
        }

        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        context.Scenarios.Add(new ScenarioEntity
        {
            Id = added.Id,
            Version = added.Version,
            Suite = added.Suite,
            TaskId = added.TaskId,
            Tier = added.Tier,
            Family = added.Family,
            Title = added.Title,
            DocumentJson = added.Content.GetRawText(),
            CreatedAt = _time.GetUtcNow(),
        });
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The key was free when checked: another author stored this version in between.
            return ScenarioAddResult.Invalid([new ScenarioError("/version", $"version {added.Version} of '{added.Id}' was stored by someone else meanwhile; add version {added.Version + 1}")]);
        }

        lock (_gate)
        {
            // Copy on write: resets read the snapshot they got without holding the lock.
            if (_latest is not null)
            {
                _latest = new Dictionary<string, ScenarioDocument>(_latest, StringComparer.OrdinalIgnoreCase) { [added.Id] = added };
            }
        }

        return ScenarioAddResult.Success(added);
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
            return [.. (results.Details ?? [results])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => new ScenarioError(d.InstanceLocation.ToString(), e.Value)))
                .Distinct()];
        }

        return format.Check(document);
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

    private static ScenarioError? Continuity(ScenarioDocument? previous, ScenarioDocument added)
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

    private static ScenarioDocument ToDocument(ScenarioEntity row)
    {
        using var json = JsonDocument.Parse(row.DocumentJson);
        return ScenarioDocument.From(json.RootElement, ScenarioSource.Stored);
    }
}

/// <summary>The stored version, or why the document was refused.</summary>
public sealed record ScenarioAddResult(ScenarioDocument? Document, IReadOnlyList<ScenarioError> Errors)
{
    public bool Succeeded => Document is not null;

    public static ScenarioAddResult Success(ScenarioDocument document) => new(document, []);

    public static ScenarioAddResult Invalid(IReadOnlyList<ScenarioError> errors) => new(null, errors);
}
