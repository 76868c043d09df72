using System.Text.Json;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>
/// The studio as the list, clone dialog, history, import dialog and scenario page use it: rows
/// filtered as the contract says, clones that fail on a taken id, versions per id, drafts saved
/// (conflicting on a stale revision), published and discarded as the store does, and a set import
/// answer. Calls the pages never make throw.
/// </summary>
internal sealed class FakeScenarioStudio : IScenarioStudio
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public List<StudioScenarioRow> Rows { get; } = [];

    public Dictionary<string, IReadOnlyList<ScenarioVersionInfo>> Versions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ScenarioDraft> Drafts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<(string SourceId, string NewId, string? Author)> Clones { get; } = [];

    /// <summary>The packs imported and their authors.</summary>
    public List<(ScenarioPack Pack, string? Author)> Imports { get; } = [];

    /// <summary>What an import answers (its added versions then appear in the list).</summary>
    public StudioResult<ScenarioImportReport>? ImportResult { get; set; }

    /// <summary>Set to make every list fail, as an unreadable store would.</summary>
    public Exception? ListFailure { get; set; }

    public Task<IReadOnlyList<StudioScenarioRow>> ListAsync(StudioQuery query, CancellationToken cancellationToken = default)
    {
        if (ListFailure is not null)
        {
            throw ListFailure;
        }

        IReadOnlyList<StudioScenarioRow> rows = [.. Rows
            .Where(r => query.Text is null || r.Id.Contains(query.Text, StringComparison.OrdinalIgnoreCase) || r.Title.Contains(query.Text, StringComparison.OrdinalIgnoreCase))
            .Where(r => query.Suite is null || r.Suite == query.Suite)
            .Where(r => query.TaskId is null || r.TaskId == query.TaskId)
            .Where(r => query.Tier is null || r.Tier == query.Tier)
            .Where(r => query.Family is null || r.Family == query.Family)
            .Where(r => query.Status is null || r.Status == query.Status)
            .OrderBy(r => r.Id, StringComparer.Ordinal)];
        return Task.FromResult(rows);
    }

    public Task<StudioResult<ScenarioDraft>> CloneAsync(string sourceId, int? sourceVersion, string newId, string? author, CancellationToken cancellationToken = default)
    {
        Clones.Add((sourceId, newId, author));
        if (Rows.Any(r => string.Equals(r.Id, newId, StringComparison.OrdinalIgnoreCase)))
        {
            return Task.FromResult(StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Conflict, $"'{newId}' is taken"));
        }

        var source = Rows.Single(r => r.Id == sourceId);
        Rows.Add(source with { Id = newId, Version = 1, Status = ScenarioStatus.Draft, PublishedVersion = null, Author = author, LastChange = Now, Episodes = 0, MeanScore = null });
        var draft = new ScenarioDraft(newId, source.Suite, 1, 1, null, author, Now, Now, JsonDocument.Parse("{}").RootElement, []);
        return Task.FromResult(StudioResult<ScenarioDraft>.Ok(draft));
    }

    public Task<IReadOnlyList<ScenarioVersionInfo>> VersionsAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Versions.GetValueOrDefault(id) ?? []);

    public static StudioScenarioRow Row(string id, ScenarioStatus status, string tier = "beginner", string family = "population", double? meanScore = null, long episodes = 0) => new(
        id, "tools", "task1", tier, family, $"Title of {id}", status == ScenarioStatus.BuiltIn ? 1 : 2, status,
        status == ScenarioStatus.Draft ? 1 : 2, status == ScenarioStatus.BuiltIn ? null : "ada", status == ScenarioStatus.BuiltIn ? null : Now, episodes, meanScore);

    public Task<StudioResult<ScenarioDraft>> GetDraftAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Drafts.TryGetValue(id, out var draft) ? StudioResult<ScenarioDraft>.Ok(draft) : StudioResult<ScenarioDraft>.Fail(StudioFailureKind.NotFound, $"'{id}' has no draft"));

    public Task<StudioResult<ScenarioDraft>> CreateDraftAsync(JsonElement document, string? author, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StudioResult<ScenarioDraft>> EditAsync(string id, string? author, CancellationToken cancellationToken = default)
    {
        var row = Rows.Single(r => r.Id == id);
        var draft = new ScenarioDraft(id, row.Suite, row.Version + 1, 1, row.Version, author, Now, Now, Published[id], []);
        Drafts[id] = draft;
        SetRow(id, r => r with { Version = draft.Version, Status = ScenarioStatus.Draft, PublishedVersion = r.Version });
        return Task.FromResult(StudioResult<ScenarioDraft>.Ok(draft));
    }

    /// <summary>Every save, in order; a save whose revision is not the draft's is a conflict, as in the store.</summary>
    public List<(string Id, JsonElement Document, int? Revision, string? Author)> Saves { get; } = [];

    public Task<StudioResult<ScenarioDraft>> SaveDraftAsync(string id, JsonElement document, int? expectedRevision, string? author, CancellationToken cancellationToken = default)
    {
        Saves.Add((id, document.Clone(), expectedRevision, author));
        var draft = Drafts[id];
        if (expectedRevision is { } revision && revision != draft.Revision)
        {
            return Task.FromResult(StudioResult<ScenarioDraft>.Fail(StudioFailureKind.Conflict, $"the draft is at revision {draft.Revision}, not {revision}"));
        }

        Drafts[id] = draft with { Revision = draft.Revision + 1, Document = document.Clone(), Author = author, Errors = Validate(document) };
        return Task.FromResult(StudioResult<ScenarioDraft>.Ok(Drafts[id]));
    }

    public List<string> Discarded { get; } = [];

    public Task<StudioResult<bool>> DeleteDraftAsync(string id, CancellationToken cancellationToken = default)
    {
        Discarded.Add(id);
        var draft = Drafts[id];
        Drafts.Remove(id);
        if (draft.BaseVersion is { } published)
        {
            SetRow(id, r => r with { Version = published, Status = ScenarioStatus.Published });
        }
        else
        {
            Rows.RemoveAll(r => r.Id == id);
        }

        return Task.FromResult(StudioResult<bool>.Ok(true));
    }

    /// <summary>Every publication, in order.</summary>
    public List<(string Id, int? Revision, string? Author)> Publications { get; } = [];

    /// <summary>Published documents by id (what <see cref="EditAsync"/> copies).</summary>
    public Dictionary<string, JsonElement> Published { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<StudioResult<ScenarioDocument>> PublishAsync(string id, int? expectedRevision, string? author, CancellationToken cancellationToken = default)
    {
        Publications.Add((id, expectedRevision, author));
        var draft = Drafts[id];
        if (draft.Errors.Count > 0)
        {
            return Task.FromResult(StudioResult<ScenarioDocument>.Fail(StudioFailureKind.Invalid, "the draft has errors", draft.Errors));
        }

        Drafts.Remove(id);
        Published[id] = draft.Document;
        SetRow(id, r => r with { Version = draft.Version, Status = ScenarioStatus.Published, PublishedVersion = draft.Version, Author = author });
        Versions[id] = [.. Versions.GetValueOrDefault(id) ?? [], new ScenarioVersionInfo(id, draft.Version, ScenarioSource.Stored, author, Now)];
        return Task.FromResult(StudioResult<ScenarioDocument>.Ok(ScenarioDocument.From(draft.Document, ScenarioSource.Stored)));
    }

    /// <summary>What validation says of a document (none by default); a test sets it to a rule of its own.</summary>
    public Func<JsonElement, IReadOnlyList<ScenarioError>> Validator { get; set; } = _ => [];

    public IReadOnlyList<ScenarioError> Validate(JsonElement document) => Validator(document);

    private void SetRow(string id, Func<StudioScenarioRow, StudioScenarioRow> change)
    {
        var index = Rows.FindIndex(r => r.Id == id);
        Rows[index] = change(Rows[index]);
    }

    public Task<StudioResult<ScenarioPack>> ExportAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StudioResult<ScenarioImportReport>> ImportAsync(ScenarioPack pack, string? author, CancellationToken cancellationToken = default)
    {
        Imports.Add((pack, author));
        var result = ImportResult ?? throw new NotSupportedException("Set ImportResult first.");
        // An added version shows in the next list, as the store would list it.
        foreach (var added in result.Value?.Added ?? [])
        {
            Rows.RemoveAll(r => string.Equals(r.Id, added.Id, StringComparison.OrdinalIgnoreCase));
            Rows.Add(Row(added.Id, ScenarioStatus.Published));
        }

        return Task.FromResult(result);
    }
}
