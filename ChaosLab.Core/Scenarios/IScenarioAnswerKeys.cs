using System.Text.Json;

namespace ChaosLab.Core.Scenarios;

/// <summary>
/// A format whose documents derive their answer key from their world: what an author checks
/// before publishing (the studio shows it to authors only, never where an agent plays).
/// </summary>
public interface IScenarioAnswerKeys
{
    /// <summary>The slots the grader expects for <paramref name="seed"/>; empty while the document cannot be built.</summary>
    IReadOnlyList<ScenarioAnswerSlot> AnswerKey(JsonElement document, long seed);
}

/// <param name="Kind">number, date, boolean, entity, ...</param>
/// <param name="Expected">The expected value as the replay shows it.</param>
/// <param name="Tolerance">Relative tolerance of a number slot; null for other kinds.</param>
public sealed record ScenarioAnswerSlot(string Name, string Kind, string Expected, double? Tolerance, double Weight);
