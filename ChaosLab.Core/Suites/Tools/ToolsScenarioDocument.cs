namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A tools scenario as data (snake_case JSON; schema: <see cref="ToolsScenarioFormat.Schema"/>).
/// The answer key is not repeated here: the family's template derives it from the world (a fixed
/// world's key is its data), so a key can never contradict the world it grades.
/// </summary>
/// <param name="Family">A family name (<see cref="ScenarioCatalog.FamilyName"/>): the template that picks the entities and derives the key.</param>
/// <param name="Question">The question, with the family's placeholders (<see cref="ScenarioQuestions.Placeholders"/>) filled per episode.</param>
/// <param name="StepLimit">Steps the agent may take.</param>
public sealed record ToolsScenarioDocument(
    string Id,
    int Version,
    string Suite,
    string Task,
    string Tier,
    string Family,
    string Title,
    IReadOnlyList<string> Tags,
    int StepLimit,
    string Question,
    ScenarioWorldSpec World,
    ScenarioFaultSpec Faults);

/// <summary>The world a scenario is played in.</summary>
/// <param name="Source"><c>generated</c>: a new world from each episode's seed; <c>fixed</c>: <paramref name="Data"/>, the same for every seed.</param>
/// <param name="Targets">Fixed worlds: the entities the question is about, by role (<see cref="ScenarioQuestions.TargetRoles"/>).</param>
/// <param name="ClaimedRevenueUsdBillions">Fixed worlds of the revenue-claim family: the claim to check.</param>
public sealed record ScenarioWorldSpec(
    string Source,
    World? Data = null,
    IReadOnlyDictionary<string, string>? Targets = null,
    double? ClaimedRevenueUsdBillions = null)
{
    public const string Generated = "generated";
    public const string Fixed = "fixed";
}

/// <summary>The scenario's fault plan.</summary>
/// <param name="BackgroundProbability">Chance that any call draws a fault of the tier's kinds.</param>
/// <param name="BadPaths">Retrieval tools reliably broken for the key entities.</param>
/// <param name="OutdatedSource">task2: the retrieval tool whose data is really a year older (content, not a fault).</param>
public sealed record ScenarioFaultSpec(
    double BackgroundProbability,
    IReadOnlyList<ScenarioBadPathSpec> BadPaths,
    string? OutdatedSource = null);

/// <param name="Kind">A fault kind name (<c>timeout</c>, <c>stale_data</c>, ...).</param>
public sealed record ScenarioBadPathSpec(string Tool, string Kind);
