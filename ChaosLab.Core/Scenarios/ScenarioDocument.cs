using System.Text.Json;

namespace ChaosLab.Core.Scenarios;

/// <summary>Where a scenario document comes from.</summary>
public enum ScenarioSource
{
    /// <summary>Generated from the suite's code; fixed for a build.</summary>
    BuiltIn,

    /// <summary>Authored and kept in the <c>scenarios</c> table.</summary>
    Stored,
}

/// <summary>
/// One version of a scenario as data: the fields every suite's document shares (read out of
/// <see cref="Content"/> for listing and indexing) and the whole document, which only its suite
/// interprets and its suite's JSON Schema describes.
/// </summary>
public sealed record ScenarioDocument(
    string Id,
    int Version,
    string Suite,
    string TaskId,
    string Tier,
    string Family,
    string Title,
    ScenarioSource Source,
    JsonElement Content)
{
    /// <summary>Reads the shared fields of a document that its suite's schema has accepted.</summary>
    public static ScenarioDocument From(JsonElement content, ScenarioSource source) => new(
        content.GetProperty(ScenarioFields.Id).GetString()!,
        content.GetProperty(ScenarioFields.Version).GetInt32(),
        content.GetProperty(ScenarioFields.Suite).GetString()!,
        content.GetProperty(ScenarioFields.Task).GetString()!,
        content.GetProperty(ScenarioFields.Tier).GetString()!,
        content.GetProperty(ScenarioFields.Family).GetString()!,
        content.GetProperty(ScenarioFields.Title).GetString()!,
        source,
        content.Clone());
}

/// <summary>The properties every suite's scenario schema must define, with these names.</summary>
public static class ScenarioFields
{
    public const string Id = "id";
    public const string Version = "version";
    public const string Suite = "suite";
    public const string Task = "task";
    public const string Tier = "tier";
    public const string Family = "family";
    public const string Title = "title";
}
