using System.Text.Json;

namespace ChaosLab.Core.Scenarios.Studio;

/// <summary>
/// The scenario studio's operations: drafts an author edits, published versions that never
/// change, and packs that move scenarios between stores. Built-in scenarios are read-only (clone
/// one to change it). Authorization is the caller's: this service trusts whoever calls it.
/// </summary>
public interface IScenarioStudio
{
    /// <summary>Every scenario (built-in, published, drafts) matching the query, ordered by id.</summary>
    Task<IReadOnlyList<StudioScenarioRow>> ListAsync(StudioQuery query, CancellationToken cancellationToken = default);

    /// <summary>The pending draft of an id (NotFound when it has none).</summary>
    Task<StudioResult<ScenarioDraft>> GetDraftAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A new draft (version 1 of <paramref name="document"/>'s id, which must be unused), stored even when invalid.</summary>
    Task<StudioResult<ScenarioDraft>> CreateDraftAsync(JsonElement document, string? author, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new draft with id <paramref name="newId"/> (version 1) whose content is a copy of a
    /// built-in or published scenario (its latest version, or <paramref name="sourceVersion"/>).
    /// </summary>
    Task<StudioResult<ScenarioDraft>> CloneAsync(string sourceId, int? sourceVersion, string newId, string? author, CancellationToken cancellationToken = default);

    /// <summary>
    /// The draft of the next version of a published scenario: the existing draft if there is one,
    /// else a new one copied from the latest version. ReadOnly for a built-in id.
    /// </summary>
    Task<StudioResult<ScenarioDraft>> EditAsync(string id, string? author, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a draft's document (its id and version must stay the draft's). Saved even when
    /// invalid: the returned draft lists the errors. Conflict when <paramref name="expectedRevision"/>
    /// is given and another save came first.
    /// </summary>
    Task<StudioResult<ScenarioDraft>> SaveDraftAsync(string id, JsonElement document, int? expectedRevision, string? author, CancellationToken cancellationToken = default);

    /// <summary>Discards a draft; its published versions (if any) stay.</summary>
    Task<StudioResult<bool>> DeleteDraftAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the draft an immutable published version (Invalid with every error when it is not
    /// valid) and removes the draft, in one transaction.
    /// </summary>
    Task<StudioResult<ScenarioDocument>> PublishAsync(string id, int? expectedRevision, string? author, CancellationToken cancellationToken = default);

    /// <summary>Every published version of an id, oldest first (a built-in id: its built-in version).</summary>
    Task<IReadOnlyList<ScenarioVersionInfo>> VersionsAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Schema and suite errors of a document (JSON Pointer paths), without storing anything.</summary>
    IReadOnlyList<ScenarioError> Validate(JsonElement document);

    /// <summary>
    /// Every published version of the given ids (all stored scenarios when null), in canonical
    /// JSON, ordered by id then version. Built-in scenarios are not exported (every build has them).
    /// </summary>
    Task<StudioResult<ScenarioPack>> ExportAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores every document of the pack as the published version it names, all or nothing: a
    /// version already stored with the same canonical content is left as it is; any invalid entry,
    /// version gap, changed existing version or built-in id refuses the whole pack (Invalid, one
    /// error per problem, paths prefixed with the entry's index: <c>/2/world/targets</c>).
    /// </summary>
    Task<StudioResult<ScenarioImportReport>> ImportAsync(ScenarioPack pack, string? author, CancellationToken cancellationToken = default);
}

/// <summary>Where a scenario stands in the studio.</summary>
public enum ScenarioStatus
{
    /// <summary>Shipped with the build; read-only.</summary>
    BuiltIn,

    /// <summary>Has published versions and no pending draft.</summary>
    Published,

    /// <summary>Has a pending draft (on top of published versions, or never published).</summary>
    Draft,
}

/// <summary>Filters of the studio's list; null means not filtered. <paramref name="Text"/> matches id and title, case-insensitively.</summary>
public sealed record StudioQuery(
    string? Text = null,
    string? Suite = null,
    string? TaskId = null,
    string? Tier = null,
    string? Family = null,
    ScenarioStatus? Status = null);

/// <summary>One scenario in the studio's list.</summary>
/// <param name="Version">The draft's version when there is a draft, else the latest published (or built-in) one.</param>
/// <param name="PublishedVersion">The version resets play; null when never published.</param>
/// <param name="Author">Who last saved the draft, or published the latest version; null for a built-in.</param>
/// <param name="LastChange">The draft's last save, or the latest publication; null for a built-in.</param>
/// <param name="Episodes">Recorded episodes played on this id (any version).</param>
/// <param name="MeanScore">Their mean score; null when none was scored.</param>
public sealed record StudioScenarioRow(
    string Id,
    string Suite,
    string TaskId,
    string Tier,
    string Family,
    string Title,
    int Version,
    ScenarioStatus Status,
    int? PublishedVersion,
    string? Author,
    DateTimeOffset? LastChange,
    long Episodes,
    double? MeanScore);

/// <summary>A pending, editable version of a scenario.</summary>
/// <param name="Revision">Incremented by every save, for optimistic concurrency.</param>
/// <param name="BaseVersion">The published version this draft edits; null for a new scenario.</param>
/// <param name="Errors">What stops it from being published (empty when it can be).</param>
public sealed record ScenarioDraft(
    string Id,
    string Suite,
    int Version,
    int Revision,
    int? BaseVersion,
    string? Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement Document,
    IReadOnlyList<ScenarioError> Errors);

/// <summary>One published (or built-in) version.</summary>
public sealed record ScenarioVersionInfo(string Id, int Version, ScenarioSource Source, string? Author, DateTimeOffset? PublishedAt);

/// <summary>Scenario documents moved as one unit (see <see cref="ScenarioPackFormat"/> for the files).</summary>
public sealed record ScenarioPack(IReadOnlyList<JsonElement> Documents);

/// <param name="Added">Id and version of each stored document, in pack order.</param>
/// <param name="Unchanged">Versions the store already held with the same content.</param>
public sealed record ScenarioImportReport(IReadOnlyList<ScenarioVersionInfo> Added, IReadOnlyList<ScenarioVersionInfo> Unchanged);

public enum StudioFailureKind
{
    /// <summary>No such scenario, version or draft.</summary>
    NotFound,

    /// <summary>Someone else changed it first, or the id is taken.</summary>
    Conflict,

    /// <summary>The document or pack has errors (listed).</summary>
    Invalid,

    /// <summary>A built-in scenario cannot be changed.</summary>
    ReadOnly,
}

/// <param name="Errors">Field-level problems (JSON Pointer paths), for <see cref="StudioFailureKind.Invalid"/>.</param>
public sealed record StudioFailure(StudioFailureKind Kind, string Message, IReadOnlyList<ScenarioError> Errors);

/// <summary>A studio operation's value, or why it failed.</summary>
public sealed record StudioResult<T>(T? Value, StudioFailure? Failure)
{
    public bool Succeeded => Failure is null;

    public static StudioResult<T> Ok(T value) => new(value, null);

    public static StudioResult<T> Fail(StudioFailureKind kind, string message, IReadOnlyList<ScenarioError>? errors = null) =>
        new(default, new StudioFailure(kind, message, errors ?? []));
}
