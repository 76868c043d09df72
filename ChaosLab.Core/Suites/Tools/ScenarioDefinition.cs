using ChaosLab.Core.Faults;
using ChaosLab.Core.Grading;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The question families; each is a template that turns a world into a question and a key.</summary>
public enum ScenarioFamily
{
    Population,
    GdpPerCapita,
    Density,
    RevenueClaim,
    LaunchDate,
    DaysBetween,
    CeoMultiHop,
    TicketRevenue,
}

/// <summary>
/// One scenario: a family and its fault design, over either a world generated from the episode
/// seed (the default) or a literal, hand-written world (<see cref="FixedWorld"/>, as the
/// scenario studio authors them).
/// </summary>
/// <param name="BadPaths">Retrieval tools that reliably fail for the key entities (task1: one; task3: a cascade).</param>
/// <param name="OutdatedSource">Task2: a retrieval tool whose data is really a year older (world content, not a fault).</param>
/// <param name="FaultProbability">Overrides the tier's background probability.</param>
/// <param name="Question">The question template (<see cref="ScenarioQuestions"/>); null: the family's default.</param>
/// <param name="StepLimit">Overrides the task's step limit.</param>
/// <param name="ToolProbabilities">Authored per-tool chances of a kind, on top of the tier's background faults.</param>
/// <param name="ScriptedFaults">Authored faults that fire on given attempts of a call; they win over every other rule.</param>
/// <param name="AnswerOverrides">Tolerance and weight changes to the derived answer key, by slot name.</param>
/// <param name="Notes">Free text for other authors; never shown to an agent.</param>
public sealed record ScenarioDefinition(
    string Id,
    string TaskId,
    string Tier,
    ScenarioFamily Family,
    string Title,
    int Version = 1,
    IReadOnlyList<BadPath>? BadPaths = null,
    string? OutdatedSource = null,
    double? FaultProbability = null,
    FixedWorld? FixedWorld = null,
    string? Question = null,
    int? StepLimit = null,
    IReadOnlyList<ToolFaultChance>? ToolProbabilities = null,
    IReadOnlyList<ScriptedFault>? ScriptedFaults = null,
    IReadOnlyList<AnswerOverride>? AnswerOverrides = null,
    string? Notes = null);

/// <summary>A tool that is reliably broken, with the way it breaks.</summary>
public sealed record BadPath(string Tool, FaultKind Kind);

/// <summary>A chance per call that <paramref name="Tool"/> shows <paramref name="Kind"/>.</summary>
public sealed record ToolFaultChance(string Tool, FaultKind Kind, double Probability);

/// <summary>A fault that always fires on the listed attempts of each exact call to <paramref name="Tool"/>.</summary>
/// <param name="Attempts">1 = the first time an exact call (tool + canonical arguments) is made in the episode, 2 = its first retry, ...</param>
/// <param name="ArgumentsContain">Only calls whose canonical arguments contain one of these (case-insensitive); null or empty: every call.</param>
public sealed record ScriptedFault(string Tool, FaultKind Kind, IReadOnlyList<int> Attempts, IReadOnlyList<string>? ArgumentsContain = null);

/// <summary>Changes to one slot of the derived answer key; the expected value always comes from the world.</summary>
/// <param name="Tolerance">Number slots: the relative tolerance; null keeps the family's.</param>
/// <param name="Weight">The slot's relative weight; null keeps the family's.</param>
public sealed record AnswerOverride(string Slot, double? Tolerance = null, double? Weight = null);

/// <summary>A literal world and the entities the question is about, by role (<see cref="ScenarioQuestions.TargetRoles"/>).</summary>
/// <param name="ClaimedRevenueUsdBillions">For the revenue-claim family: the claim to check (else drawn from the seed).</param>
/// <param name="Documents">Corpus documents the author wrote, searched and fetched like the generated ones.</param>
public sealed record FixedWorld(World World, IReadOnlyDictionary<string, string> Targets, double? ClaimedRevenueUsdBillions = null, IReadOnlyList<AuthoredDocument>? Documents = null);

/// <summary>A document an author adds to a fixed world's corpus.</summary>
/// <param name="Id">Its <c>doc_id</c>; it is served at <c>https://chaos.local/docs/{Id}</c>.</param>
/// <param name="Authority"><see cref="AuthoredDocument.Official"/>, <see cref="AuthoredDocument.Secondary"/> or <see cref="AuthoredDocument.Rumour"/>: the reliability search results show.</param>
public sealed record AuthoredDocument(string Id, string Title, string Source, DateOnly Date, string Authority, string Text)
{
    public const string Official = "official";
    public const string Secondary = "secondary";
    public const string Rumour = "rumour";

    public static IReadOnlyList<string> Authorities { get; } = [Official, Secondary, Rumour];

    /// <summary>The reliability the generated documents use for the same standing.</summary>
    public string Reliability => Authority switch
    {
        Official => "high",
        Secondary => "medium",
        _ => "low",
    };
}

/// <summary>A fact the answer depends on, as sources render it, for recovery and cross-validation credit.</summary>
/// <param name="Entity">The entity the fact is about; a source "returns the fact" only if it also names it.</param>
/// <param name="Number">The value in the unit sources use (null for text facts).</param>
/// <param name="Text">The value as text (a name or an ISO date), for text facts.</param>
public sealed record KeyFact(string Id, string Entity, string Attribute, double? Number, string? Text);

/// <summary>A scenario made concrete for one seed.</summary>
/// <param name="KeyEntities">Names the designated bad paths match on.</param>
/// <param name="TicketId">For the action family, the ticket whose final state is graded.</param>
public sealed record ScenarioInstance(
    ScenarioDefinition Definition,
    World World,
    string Question,
    AnswerKey Key,
    IReadOnlyList<KeyFact> Facts,
    IReadOnlyList<string> KeyEntities,
    FaultPlan Faults,
    IReadOnlyList<TicketSeed> Tickets,
    string? TicketId,
    string? ConflictEntity);
