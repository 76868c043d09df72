using System.Text.Json.Serialization;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Core.Suites.Gauntlet.Scenarios;

/// <summary>
/// A gauntlet scenario as data (snake_case JSON; schema: <see cref="GauntletScenarioFormat.Schema"/>):
/// which piece is hardened and how hard its cases are. Nothing here is a case: per seed the
/// piece draws its public examples and, at submission, its hidden cases from these knobs.
/// </summary>
/// <param name="TaskId">The piece's id (<c>stream</c>, <c>retry</c>, <c>consumer</c>).</param>
/// <param name="Family">The piece's id too: a gauntlet scenario's family is the code it hardens.</param>
/// <param name="StepLimit">Steps the agent may take, at most the tier's (<see cref="GauntletScenarioCatalog.MaxSteps"/>).</param>
/// <param name="Intensity">0 (a few mild faults) to 1 (many, severe): rates, magnitudes, burst sizes, outage lengths.</param>
/// <param name="Kinds">The piece's fault kinds the cases may draw from.</param>
/// <param name="Cases">Hidden cases graded per submission (the public examples are fewer).</param>
/// <param name="GradedTiers">Requirement tiers graded, from 1 up without gaps (they cascade).</param>
/// <param name="Notes">Free text for other authors; never shown to an agent.</param>
public sealed record GauntletScenarioDefinition(
    string Id,
    int Version,
    string Suite,
    [property: JsonPropertyName("task")] string TaskId,
    string Tier,
    string Family,
    string Title,
    int StepLimit,
    double Intensity,
    IReadOnlyList<string> Kinds,
    int Cases,
    IReadOnlyList<int> GradedTiers,
    string? Notes = null)
{
    public const int NotesMaxLength = 4000;

    /// <summary>The hidden draw's difficulty.</summary>
    [JsonIgnore]
    public PieceDifficulty Difficulty => new(Intensity, Kinds, Cases, GradedTiers);
}
