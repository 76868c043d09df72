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
    int? StepLimit = null);

/// <summary>A tool that is reliably broken, with the way it breaks.</summary>
public sealed record BadPath(string Tool, FaultKind Kind);

/// <summary>A literal world and the entities the question is about, by role (<see cref="ScenarioQuestions.TargetRoles"/>).</summary>
/// <param name="ClaimedRevenueUsdBillions">For the revenue-claim family: the claim to check (else drawn from the seed).</param>
public sealed record FixedWorld(World World, IReadOnlyDictionary<string, string> Targets, double? ClaimedRevenueUsdBillions = null);

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
