using System.Text.Json;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Endpoints;

/// <summary>A draft as the API shows it: its document and what stops it from being published.</summary>
public sealed record DraftResponse(
    string Id,
    string Suite,
    int Version,
    int Revision,
    int? BaseVersion,
    string? Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Publishable,
    IReadOnlyList<ScenarioErrorResponse> Errors,
    JsonElement Document)
{
    public static DraftResponse From(ScenarioDraft draft) => new(
        draft.Id, draft.Suite, draft.Version, draft.Revision, draft.BaseVersion, draft.Author, draft.CreatedAt, draft.UpdatedAt,
        draft.Errors.Count == 0, [.. draft.Errors.Select(ScenarioErrorResponse.From)], draft.Document);
}

/// <param name="Path">JSON Pointer of the field (empty: the whole document).</param>
public sealed record ScenarioErrorResponse(string Path, string Message)
{
    public static ScenarioErrorResponse From(ScenarioError error) => new(error.Path, error.Message);
}

/// <summary><c>POST /api/scenarios/validate</c>: the errors of a document (none: it can be published).</summary>
public sealed record ValidationResponse(bool Valid, IReadOnlyList<ScenarioErrorResponse> Errors);

/// <summary>One published version.</summary>
public sealed record VersionResponse(string Id, int Version, string Source, string? Author, DateTimeOffset? PublishedAt)
{
    public static VersionResponse From(ScenarioVersionInfo info) => new(
        info.Id, info.Version, info.Source == ScenarioSource.BuiltIn ? "built_in" : "stored", info.Author, info.PublishedAt);
}

public sealed record VersionListResponse(string Id, IReadOnlyList<VersionResponse> Versions);

/// <summary><c>POST /api/scenarios/{id}/clone</c>: the new draft's id, and which version to copy (the latest when left out).</summary>
public sealed record CloneRequest(string? NewId, int? Version);

/// <summary>What an import stored and what it found already there.</summary>
public sealed record ImportResponse(IReadOnlyList<VersionResponse> Added, IReadOnlyList<VersionResponse> Unchanged)
{
    public static ImportResponse From(ScenarioImportReport report) =>
        new([.. report.Added.Select(VersionResponse.From)], [.. report.Unchanged.Select(VersionResponse.From)]);
}
