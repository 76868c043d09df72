using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Scenarios.Studio;

/// <summary>
/// The studio over the store: drafts in <c>scenario_drafts</c>, published versions through the
/// <see cref="ScenarioStore"/> (so resets play a new version as soon as it commits), and packs.
/// Every change that checks and then writes does both in one write transaction, so two authors
/// acting at once cannot both pass a check that only one of them may pass.
/// </summary>
public sealed partial class ScenarioStudio(
    IDbContextFactory<ChaosLabDbContext> contexts,
    ScenarioStore store,
    ScenarioLibrary library,
    EpisodeStore episodes,
    TimeProvider time) : IScenarioStudio
{
    public async Task<IReadOnlyList<StudioScenarioRow>> ListAsync(StudioQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var published = (await store.ListLatestVersionsAsync(cancellationToken)).ToDictionary(v => v.Id, StringComparer.OrdinalIgnoreCase);
        List<ScenarioDraftEntity> drafts;
        await using (var context = await contexts.CreateDbContextAsync(cancellationToken))
        {
            drafts = await context.ScenarioDrafts.AsNoTracking().ToListAsync(cancellationToken);
        }

        var totals = await episodes.ScenarioTotalsAsync(cancellationToken);
        var rows = new Dictionary<string, StudioScenarioRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var builtIn in library.Formats.SelectMany(f => f.BuiltIn))
        {
            // A stored revision of a built-in id (possible before the studio) is what resets play.
            var version = published.GetValueOrDefault(builtIn.Id)?.Version ?? builtIn.Version;
            rows[builtIn.Id] = new StudioScenarioRow(builtIn.Id, builtIn.Suite, builtIn.TaskId, builtIn.Tier, builtIn.Family, builtIn.Title,
                version, ScenarioStatus.BuiltIn, version, null, null, 0, null);
        }

        foreach (var version in published.Values.Where(v => !rows.ContainsKey(v.Id)))
        {
            rows[version.Id] = new StudioScenarioRow(version.Id, version.Suite, version.TaskId, version.Tier, version.Family, version.Title,
                version.Version, ScenarioStatus.Published, version.Version, version.Author, version.PublishedAt, 0, null);
        }

        foreach (var draft in drafts)
        {
            using var json = JsonDocument.Parse(draft.DocumentJson);
            var document = json.RootElement;
            var latest = published.GetValueOrDefault(draft.Id);
            string Field(string name, string? fallback) => Text(document, name) ?? fallback ?? "";
            rows[draft.Id] = new StudioScenarioRow(draft.Id, Field(ScenarioFields.Suite, latest?.Suite), Field(ScenarioFields.Task, latest?.TaskId),
                Field(ScenarioFields.Tier, latest?.Tier), Field(ScenarioFields.Family, latest?.Family), Field(ScenarioFields.Title, latest?.Title),
                draft.Version, ScenarioStatus.Draft, latest?.Version, draft.Author, draft.UpdatedAt, 0, null);
        }

        return [.. rows.Values
            .Where(r => Matches(r, query))
            .Select(r => totals.TryGetValue(r.Id, out var played) ? r with { Episodes = played.Episodes, MeanScore = played.MeanScore } : r)
            .OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    public async Task<StudioResult<ScenarioDraft>> GetDraftAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var draft = await context.ScenarioDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return draft is null ? NoDraft<ScenarioDraft>(id) : StudioResult<ScenarioDraft>.Ok(await ToDraftAsync(draft, cancellationToken));
    }

    public async Task<StudioResult<ScenarioDraft>> CreateDraftAsync(JsonElement document, string? author, CancellationToken cancellationToken = default)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return NotAnObject<ScenarioDraft>();
        }

        var id = Text(document, ScenarioFields.Id);
        if (IdProblem(id) is { } problem)
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Invalid, problem.Message, [problem]);
        }

        return await AddNewDraftAsync(id!, document, author, cancellationToken);
    }

    public async Task<StudioResult<ScenarioDraft>> CloneAsync(string sourceId, int? sourceVersion, string newId, string? author, CancellationToken cancellationToken = default)
    {
        var source = await library.FindAsync(sourceId, sourceVersion, cancellationToken);
        if (source is null)
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.NotFound, sourceVersion is { } v
                ? $"Scenario '{sourceId}' has no version {v}."
                : $"No built-in or published scenario has the id '{sourceId}'.");
        }

        if (IdProblem(newId) is { } problem)
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Invalid, problem.Message, [problem]);
        }

        var copy = JsonNode.Parse(source.Content.GetRawText())!.AsObject();
        copy[ScenarioFields.Id] = newId;
        copy[ScenarioFields.Version] = 1;
        using var json = JsonDocument.Parse(copy.ToJsonString());
        return await AddNewDraftAsync(newId, json.RootElement, author, cancellationToken);
    }

    public async Task<StudioResult<ScenarioDraft>> EditAsync(string id, string? author, CancellationToken cancellationToken = default)
    {
        if (IsBuiltIn(id))
        {
            return BuiltInReadOnly<ScenarioDraft>(id);
        }

        await using var write = await store.BeginWriteAsync(cancellationToken);
        if (await write.Context.ScenarioDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken) is { } existing)
        {
            return StudioResult<ScenarioDraft>.Ok(await ToDraftAsync(existing, cancellationToken));
        }

        if (await write.FindAsync(id, null, cancellationToken) is not { } latest)
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.NotFound, $"No published scenario has the id '{id}'.");
        }

        var next = JsonNode.Parse(latest.Content.GetRawText())!.AsObject();
        next[ScenarioFields.Version] = latest.Version + 1;
        var draft = NewDraft(latest.Id, next.ToJsonString(), latest.Version + 1, latest.Version, author);
        write.Context.ScenarioDrafts.Add(draft);
        await write.CommitAsync(cancellationToken);
        return StudioResult<ScenarioDraft>.Ok(await ToDraftAsync(draft, cancellationToken));
    }

    public async Task<StudioResult<ScenarioDraft>> SaveDraftAsync(string id, JsonElement document, int? expectedRevision, string? author, CancellationToken cancellationToken = default)
    {
        if (IsBuiltIn(id))
        {
            return BuiltInReadOnly<ScenarioDraft>(id);
        }

        if (document.ValueKind != JsonValueKind.Object)
        {
            return NotAnObject<ScenarioDraft>();
        }

        await using var write = await store.BeginWriteAsync(cancellationToken);
        var draft = await write.Context.ScenarioDrafts.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (draft is null)
        {
            return NoDraft<ScenarioDraft>(id);
        }

        if (RevisionConflict<ScenarioDraft>(draft, expectedRevision) is { } conflict)
        {
            return conflict;
        }

        draft.DocumentJson = document.GetRawText();
        draft.Suite = Text(document, ScenarioFields.Suite) ?? "";
        draft.Revision++;
        draft.Author = Author(author);
        draft.UpdatedAt = Now();
        await write.CommitAsync(cancellationToken);
        return StudioResult<ScenarioDraft>.Ok(await ToDraftAsync(draft, cancellationToken));
    }

    public async Task<StudioResult<bool>> DeleteDraftAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await context.ScenarioDrafts.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NoDraft<bool>(id) : StudioResult<bool>.Ok(true);
    }

    public async Task<StudioResult<ScenarioDocument>> PublishAsync(string id, int? expectedRevision, string? author, CancellationToken cancellationToken = default)
    {
        if (IsBuiltIn(id))
        {
            return BuiltInReadOnly<ScenarioDocument>(id);
        }

        await using var write = await store.BeginWriteAsync(cancellationToken);
        var draft = await write.Context.ScenarioDrafts.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (draft is null)
        {
            return NoDraft<ScenarioDocument>(id);
        }

        if (RevisionConflict<ScenarioDocument>(draft, expectedRevision) is { } conflict)
        {
            return conflict;
        }

        using var json = JsonDocument.Parse(draft.DocumentJson);
        if (await DraftErrorsAsync(draft, json.RootElement, write, cancellationToken) is { Count: > 0 } errors)
        {
            return StudioResult<ScenarioDocument>.Fail(StudioFailureKind.Invalid,
                $"'{draft.Id}' cannot be published: {Count(errors.Count, "error")} to fix first.", errors);
        }

        var added = await write.AddAsync(json.RootElement, Author(author), cancellationToken);
        if (!added.Succeeded)
        {
            // The draft's own checks passed: what fails now is a version published since it was made.
            return StudioResult<ScenarioDocument>.Fail(StudioFailureKind.Conflict,
                $"'{draft.Id}' changed since this draft was made: {added.Errors[0].Message}", added.Errors);
        }

        write.Context.ScenarioDrafts.Remove(draft);
        await write.CommitAsync(cancellationToken);
        return StudioResult<ScenarioDocument>.Ok(added.Document!);
    }

    public async Task<IReadOnlyList<ScenarioVersionInfo>> VersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        var stored = (await store.VersionsAsync(id, cancellationToken))
            .Select(v => new ScenarioVersionInfo(v.Id, v.Version, ScenarioSource.Stored, v.Author, v.PublishedAt));
        return store.BuiltIn(id) is { } builtIn
            ? [new ScenarioVersionInfo(builtIn.Id, builtIn.Version, ScenarioSource.BuiltIn, null, null), .. stored]
            : [.. stored];
    }

    public IReadOnlyList<ScenarioError> Validate(JsonElement document)
    {
        var errors = store.Validate(document);
        // Ids name files in a zip pack; the tools schema says so too, a suite's schema need not.
        if (document.ValueKind == JsonValueKind.Object && errors.All(e => e.Path != "/" + ScenarioFields.Id)
            && document.TryGetProperty(ScenarioFields.Id, out var id) && id.ValueKind == JsonValueKind.String
            && IdProblem(id.GetString()) is { } problem)
        {
            return [.. errors, problem];
        }

        return errors;
    }

    public async Task<StudioResult<ScenarioPack>> ExportAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken = default)
    {
        if (ids is not null)
        {
            var published = (await store.ListLatestVersionsAsync(cancellationToken)).Select(v => v.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (ids.FirstOrDefault(id => IsBuiltIn(id) || !published.Contains(id)) is { } missing)
            {
                return StudioResult<ScenarioPack>.Fail(StudioFailureKind.NotFound, IsBuiltIn(missing)
                    ? $"'{missing}' is a built-in scenario: every build has it, so packs leave it out."
                    : $"No published scenario has the id '{missing}'.");
            }
        }

        // Stored versions of a built-in id (possible before the studio) would make the pack unimportable.
        var versions = await store.ListVersionsAsync(ids, cancellationToken);
        return StudioResult<ScenarioPack>.Ok(new ScenarioPack([.. versions
            .Where(d => !IsBuiltIn(d.Id))
            .Select(d => Canonical(d.Content))]));
    }

    public async Task<StudioResult<ScenarioImportReport>> ImportAsync(ScenarioPack pack, string? author, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        if (pack.Documents.Count > ScenarioPackFormat.MaxDocuments)
        {
            return StudioResult<ScenarioImportReport>.Fail(StudioFailureKind.Invalid,
                $"The pack holds {pack.Documents.Count} scenarios; at most {ScenarioPackFormat.MaxDocuments} fit in one pack.",
                [new ScenarioError("", $"at most {ScenarioPackFormat.MaxDocuments} scenarios per pack")]);
        }

        var import = new PackImport(pack.Documents);
        for (var index = 0; index < pack.Documents.Count; index++)
        {
            CheckEntry(import, index);
        }

        await using var write = await store.BeginWriteAsync(cancellationToken);
        var unchanged = new List<ScenarioVersionInfo>();
        foreach (var group in import.Valid.GroupBy(e => e.Document.Id, StringComparer.OrdinalIgnoreCase))
        {
            unchanged.AddRange(await CheckAgainstStoreAsync(import, [.. group.OrderBy(e => e.Document.Version)], write, cancellationToken));
        }

        if (import.ErrorCount == 0)
        {
            foreach (var entry in import.ToAdd)
            {
                var added = await write.AddAsync(entry.Document.Content, Author(author), cancellationToken);
                import.AddErrors(entry.Index, added.Errors);
            }
        }

        if (import.ErrorCount > 0)
        {
            var errors = import.SortedErrors();
            return StudioResult<ScenarioImportReport>.Fail(StudioFailureKind.Invalid,
                $"The pack was not imported: {Count(errors.Count, "problem")}; nothing was stored.", errors);
        }

        await write.CommitAsync(cancellationToken);
        var now = Now();
        return StudioResult<ScenarioImportReport>.Ok(new ScenarioImportReport(
            [.. import.ToAdd.OrderBy(e => e.Index).Select(e => new ScenarioVersionInfo(e.Document.Id, e.Document.Version, ScenarioSource.Stored, Author(author), now))],
            unchanged));
    }

    /// <summary>An entry's own problems: not a valid document, a built-in id, a version listed twice.</summary>
    private void CheckEntry(PackImport import, int index)
    {
        var document = import.Documents[index];
        if (Validate(document) is { Count: > 0 } errors)
        {
            import.AddErrors(index, errors);
            return;
        }

        var scenario = ScenarioDocument.From(document, ScenarioSource.Stored);
        if (IsBuiltIn(scenario.Id))
        {
            import.AddErrors(index, [new ScenarioError("/" + ScenarioFields.Id,
                $"'{scenario.Id}' is a built-in scenario, which no pack can change; clone it and import the copy under a new id")]);
        }
        else if (import.Valid.FirstOrDefault(e => string.Equals(e.Document.Id, scenario.Id, StringComparison.OrdinalIgnoreCase) && e.Document.Version == scenario.Version) is { } first)
        {
            import.AddErrors(index, [new ScenarioError("/" + ScenarioFields.Version, $"entry {first.Index} already holds version {scenario.Version} of '{scenario.Id}'")]);
        }
        else
        {
            import.Valid.Add(new PackEntry(index, scenario));
        }
    }

    /// <summary>
    /// Checks one id's entries (in version order) against what the store holds: versions it has
    /// must be unchanged, new ones must continue it without a gap. Returns the unchanged ones.
    /// </summary>
    private static async Task<List<ScenarioVersionInfo>> CheckAgainstStoreAsync(PackImport import, List<PackEntry> entries, ScenarioWrite write, CancellationToken cancellationToken)
    {
        var unchanged = new List<ScenarioVersionInfo>();
        var id = entries[0].Document.Id;
        if (await write.Context.ScenarioDrafts.AnyAsync(d => d.Id == id, cancellationToken))
        {
            import.AddErrors(entries[0].Index, [new ScenarioError("/" + ScenarioFields.Id,
                $"'{id}' has a draft in this store; publish or delete it before importing versions of '{id}'")]);
            return unchanged;
        }

        var previous = await write.FindAsync(id, null, cancellationToken);
        var storedLatest = previous?.Version ?? 0;
        foreach (var entry in entries)
        {
            if (entry.Document.Version <= storedLatest)
            {
                var stored = await write.Context.Scenarios.AsNoTracking()
                    .FirstOrDefaultAsync(s => s.Id == id && s.Version == entry.Document.Version, cancellationToken);
                if (stored is not null && CanonicalJson.Serialize(JsonNode.Parse(stored.DocumentJson)) == CanonicalJson.Serialize(entry.Document.Content))
                {
                    unchanged.Add(new ScenarioVersionInfo(stored.Id, stored.Version, ScenarioSource.Stored, stored.Author, stored.CreatedAt));
                }
                else
                {
                    import.AddErrors(entry.Index, [new ScenarioError("", stored is null
                        ? $"version {entry.Document.Version} of '{id}' is missing from this store, which cannot take versions below its latest ({storedLatest})"
                        : $"version {entry.Document.Version} of '{id}' is already stored with other content, and published versions never change; import the change as version {storedLatest + 1}")]);
                }

                continue;
            }

            if (ScenarioStore.Continuity(previous, entry.Document) is { } broken)
            {
                import.AddErrors(entry.Index, [broken]);
                // What follows an unusable version would only repeat the same gap.
                return unchanged;
            }

            import.ToAdd.Add(entry);
            previous = entry.Document;
        }

        return unchanged;
    }

    private async Task<StudioResult<ScenarioDraft>> AddNewDraftAsync(string id, JsonElement document, string? author, CancellationToken cancellationToken)
    {
        if (IsBuiltIn(id))
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Conflict,
                $"'{id}' is a built-in scenario's id; choose another id (to change the built-in scenario, clone it).");
        }

        await using var write = await store.BeginWriteAsync(cancellationToken);
        if (await write.FindAsync(id, null, cancellationToken) is not null)
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Conflict,
                $"'{id}' is already published; edit it to make its next version, or choose another id.");
        }

        if (await write.Context.ScenarioDrafts.AnyAsync(d => d.Id == id, cancellationToken))
        {
            return StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Conflict, $"'{id}' already has a draft; open it, or choose another id.");
        }

        var draft = NewDraft(id, document.GetRawText(), 1, null, author);
        write.Context.ScenarioDrafts.Add(draft);
        await write.CommitAsync(cancellationToken);
        return StudioResult<ScenarioDraft>.Ok(await ToDraftAsync(draft, cancellationToken));
    }

    private ScenarioDraftEntity NewDraft(string id, string documentJson, int version, int? baseVersion, string? author)
    {
        var now = Now();
        using var json = JsonDocument.Parse(documentJson);
        return new ScenarioDraftEntity
        {
            Id = id,
            Suite = Text(json.RootElement, ScenarioFields.Suite) ?? "",
            Version = version,
            Revision = 1,
            BaseVersion = baseVersion,
            Author = Author(author),
            CreatedAt = now,
            UpdatedAt = now,
            DocumentJson = documentJson,
        };
    }

    private async Task<ScenarioDraft> ToDraftAsync(ScenarioDraftEntity draft, CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(draft.DocumentJson);
        var document = json.RootElement.Clone();
        var errors = await DraftErrorsAsync(draft, document, null, cancellationToken);
        return new ScenarioDraft(draft.Id, draft.Suite, draft.Version, draft.Revision, draft.BaseVersion, draft.Author,
            draft.CreatedAt, draft.UpdatedAt, document, errors);
    }

    /// <summary>
    /// What stops a draft from being published: <see cref="Validate"/>'s errors, a document that
    /// no longer names the draft's id and version, and a new version that moves its scenario to
    /// another suite, task or tier (a reset's pools are per task and tier: moving is a new id).
    /// </summary>
    private async Task<IReadOnlyList<ScenarioError>> DraftErrorsAsync(ScenarioDraftEntity draft, JsonElement document, ScenarioWrite? write, CancellationToken cancellationToken)
    {
        var errors = Validate(document).ToList();
        if (document.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        if (Text(document, ScenarioFields.Id) != draft.Id)
        {
            errors.Add(new("/" + ScenarioFields.Id, $"this is the draft of '{draft.Id}': its id stays '{draft.Id}' (clone the scenario to use another id)"));
        }

        if (!document.TryGetProperty(ScenarioFields.Version, out var version) || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var number) || number != draft.Version)
        {
            errors.Add(new("/" + ScenarioFields.Version, $"this draft is version {draft.Version} of '{draft.Id}': its version stays {draft.Version}"));
        }

        if (draft.BaseVersion is not null)
        {
            var latest = write is null ? await store.FindAsync(draft.Id, null, cancellationToken) : await write.FindAsync(draft.Id, null, cancellationToken);
            foreach (var (field, kept) in latest is null ? [] : new[] { (ScenarioFields.Suite, latest.Suite), (ScenarioFields.Task, latest.TaskId), (ScenarioFields.Tier, latest.Tier) })
            {
                if (Text(document, field) is { } value && !string.Equals(value, kept, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new("/" + field, $"a new version of '{draft.Id}' keeps its {field} ({kept}); clone it to a new id to change that"));
                }
            }
        }

        return [.. errors.Distinct()];
    }

    private static StudioResult<T>? RevisionConflict<T>(ScenarioDraftEntity draft, int? expectedRevision) =>
        expectedRevision is { } expected && expected != draft.Revision
            ? StudioResult<T>.Fail(StudioFailureKind.Conflict,
                $"The draft of '{draft.Id}' was saved by {draft.Author ?? "someone"} meanwhile (revision {draft.Revision}; yours was made from revision {expected}). Reload it and make your change again.")
            : null;

    private bool IsBuiltIn(string id) => store.BuiltIn(id) is not null;

    private static bool Matches(StudioScenarioRow row, StudioQuery query) =>
        (query.Text is not { Length: > 0 } text || row.Id.Contains(text, StringComparison.OrdinalIgnoreCase) || row.Title.Contains(text, StringComparison.OrdinalIgnoreCase))
        && Equal(query.Suite, row.Suite) && Equal(query.TaskId, row.TaskId) && Equal(query.Tier, row.Tier) && Equal(query.Family, row.Family)
        && (query.Status is null || query.Status == row.Status);

    private static bool Equal(string? filter, string value) => filter is null || string.Equals(filter, value, StringComparison.OrdinalIgnoreCase);

    /// <summary>The current time as the store keeps it (whole milliseconds), so a reply and a later read agree.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>An author name as stored: trimmed, and null when blank.</summary>
    private static string? Author(string? author) => string.IsNullOrWhiteSpace(author) ? null : author.Trim();

    /// <summary>
    /// Words the API uses as path segments beside a scenario's id (<c>/api/scenarios/export</c>):
    /// a scenario with one of these ids could never be read by id.
    /// </summary>
    public static IReadOnlySet<string> ReservedIds { get; } = new HashSet<string>(["export", "import", "schema", "validate"], StringComparer.OrdinalIgnoreCase);

    private static ScenarioError? IdProblem(string? id) => id is null || !IdPattern().IsMatch(id)
        ? new ScenarioError("/" + ScenarioFields.Id, "an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        : ReservedIds.Contains(id)
            ? new ScenarioError("/" + ScenarioFields.Id, $"'{id}' is reserved by the API ({string.Join(", ", ReservedIds.Order(StringComparer.Ordinal))}); choose another id")
            : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    private static string? Text(JsonElement document, string name) =>
        document.ValueKind == JsonValueKind.Object && document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement Canonical(JsonElement document)
    {
        using var json = JsonDocument.Parse(CanonicalJson.Serialize(document));
        return json.RootElement.Clone();
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static StudioResult<T> NoDraft<T>(string id) => StudioResult<T>.Fail(StudioFailureKind.NotFound, $"'{id}' has no draft.");

    private static StudioResult<T> NotAnObject<T>() => StudioResult<T>.Fail(StudioFailureKind.Invalid, "A scenario document is a JSON object.",
        [new ScenarioError("", "a scenario document is a JSON object")]);

    private static StudioResult<T> BuiltInReadOnly<T>(string id) => StudioResult<T>.Fail(StudioFailureKind.ReadOnly,
        $"'{id}' is a built-in scenario and cannot be changed; clone it to make an editable copy under a new id.");

    /// <summary>The state of one import: its documents, the entries that passed their own checks, what to add, and every error by entry.</summary>
    private sealed class PackImport(IReadOnlyList<JsonElement> documents)
    {
        private readonly List<(int Index, ScenarioError Error)> _errors = [];

        public IReadOnlyList<JsonElement> Documents { get; } = documents;

        public List<PackEntry> Valid { get; } = [];

        public List<PackEntry> ToAdd { get; } = [];

        public int ErrorCount => _errors.Count;

        /// <summary>Adds errors with paths prefixed by the entry's index (<c>/2/world/targets</c>).</summary>
        public void AddErrors(int index, IEnumerable<ScenarioError> errors) =>
            _errors.AddRange(errors.Select(e => (index, e with { Path = $"/{index}{e.Path}" })));

        public IReadOnlyList<ScenarioError> SortedErrors() => [.. _errors.OrderBy(e => e.Index).Select(e => e.Error)];
    }

    private sealed record PackEntry(int Index, ScenarioDocument Document);
}
