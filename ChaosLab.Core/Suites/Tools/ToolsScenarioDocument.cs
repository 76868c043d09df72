namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A tools scenario as data (snake_case JSON; schema: <see cref="ToolsScenarioFormat.Schema"/>).
/// The answer key is not repeated here: the family's template derives it from the world (a fixed
/// world's key is its data), so a key can never contradict the world it grades.
/// </summary>
/// <param name="Family">A family name (<see cref="ScenarioCatalog.FamilyName"/>): the template that picks the entities and derives the key.</param>
/// <param name="Question">The question, with the family's placeholders (<see cref="ScenarioQuestions.Placeholders"/>) filled per episode.</param>
/// <param name="StepLimit">Steps the agent may take, within the task's bounds (<see cref="StepBounds"/>).</param>
/// <param name="Notes">Free text for other authors; never shown to an agent.</param>
/// <param name="Answer">Per-slot changes to the derived answer key (tolerance, weight); the expected values stay the world's.</param>
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
    ScenarioFaultSpec Faults,
    string? Notes = null,
    IReadOnlyList<ScenarioAnswerSpec>? Answer = null)
{
    public const int NotesMaxLength = 4000;
}

/// <summary>The world a scenario is played in.</summary>
/// <param name="Source"><c>generated</c>: a new world from each episode's seed; <c>fixed</c>: <paramref name="Data"/>, the same for every seed.</param>
/// <param name="Targets">Fixed worlds: the entities the question is about, by role (<see cref="ScenarioQuestions.TargetRoles"/>).</param>
/// <param name="ClaimedRevenueUsdBillions">Fixed worlds of the revenue-claim family: the claim to check.</param>
/// <param name="Documents">Fixed worlds: corpus documents the author wrote, searched like the generated ones.</param>
public sealed record ScenarioWorldSpec(
    string Source,
    World? Data = null,
    IReadOnlyDictionary<string, string>? Targets = null,
    double? ClaimedRevenueUsdBillions = null,
    IReadOnlyList<ScenarioCorpusDocumentSpec>? Documents = null)
{
    public const string Generated = "generated";
    public const string Fixed = "fixed";
}

/// <summary>The scenario's fault plan.</summary>
/// <param name="BackgroundProbability">Chance that any call draws a fault of the tier's kinds.</param>
/// <param name="BadPaths">Retrieval tools reliably broken for the key entities.</param>
/// <param name="OutdatedSource">task2: the retrieval tool whose data is really a year older (content, not a fault).</param>
/// <param name="ToolProbabilities">Per-tool chances of a kind, each call rolled on its own.</param>
/// <param name="Scripted">Faults that always fire on given attempts of a call.</param>
public sealed record ScenarioFaultSpec(
    double BackgroundProbability,
    IReadOnlyList<ScenarioBadPathSpec> BadPaths,
    string? OutdatedSource = null,
    IReadOnlyList<ScenarioToolProbabilitySpec>? ToolProbabilities = null,
    IReadOnlyList<ScenarioScriptedFaultSpec>? Scripted = null);

/// <param name="Kind">A fault kind name (<c>timeout</c>, <c>stale_data</c>, ...).</param>
public sealed record ScenarioBadPathSpec(string Tool, string Kind);

/// <param name="Tool">Any tool that can fail (every tool but <c>submit_answer</c>).</param>
/// <param name="Kind">A kind the tool can show (<see cref="ToolsFaultKinds.ApplicableTo"/>).</param>
public sealed record ScenarioToolProbabilitySpec(string Tool, string Kind, double Probability);

/// <param name="Attempts">1 = the first time an exact call (tool + canonical arguments) is made in the episode, 2 = its first retry; 1 to <see cref="MaxAttempt"/>, each once.</param>
/// <param name="ArgumentsContain">Only calls whose canonical arguments contain one of these (case-insensitive).</param>
public sealed record ScenarioScriptedFaultSpec(string Tool, string Kind, IReadOnlyList<int> Attempts, IReadOnlyList<string>? ArgumentsContain = null)
{
    public const int MaxAttempt = 20;
}

/// <param name="Slot">A slot of the family's answer key (<see cref="ToolsScenarioFormat.AnswerSlots"/>).</param>
/// <param name="Tolerance">Number slots only: the relative tolerance, 0 to <see cref="MaxTolerance"/>.</param>
/// <param name="Weight">The slot's relative weight, above 0.</param>
public sealed record ScenarioAnswerSpec(string Slot, double? Tolerance = null, double? Weight = null)
{
    public const double MaxTolerance = 0.5;
}

/// <summary>A corpus document an author writes into a fixed world.</summary>
/// <param name="Authority"><c>official</c>, <c>secondary</c> or <c>rumour</c>: the reliability (high, medium, low) search results show.</param>
public sealed record ScenarioCorpusDocumentSpec(string Id, string Title, string Source, DateOnly Date, string Authority, string Text)
{
    public const int TextMaxLength = 20_000;
}
