using System.Text.Json.Serialization;
using ChaosLab.Core.Scenarios;

namespace ChaosLab.Web.Endpoints;

/// <summary><c>GET /api/scenarios</c>: the scenarios and the pools resets draw from.</summary>
public sealed record ScenarioListResponse(IReadOnlyList<ScenarioSummary> Items, IReadOnlyList<ScenarioPoolInfo> Pools);

/// <param name="Source"><c>built_in</c> or <c>stored</c>: where the listed version comes from.</param>
public sealed record ScenarioSummary(string Id, int Version, string Suite, string TaskId, string Tier, string Family, string Title, string Source)
{
    public static ScenarioSummary From(ScenarioDocument document) => new(
        document.Id, document.Version, document.Suite, document.TaskId, document.Tier, document.Family, document.Title,
        document.Source == ScenarioSource.BuiltIn ? "built_in" : "stored");
}
