namespace ChaosLab.Core.Persistence;

/// <summary>An episode without its steps: a row of the episode browser and the payload of live feed events.</summary>
/// <param name="Outcome">The grade's outcome, "abandoned", or null while the episode runs.</param>
/// <param name="Seed">Null while a sealed episode runs (see <see cref="EpisodeDisclosure"/>).</param>
/// <param name="Mode">"practice" or "sealed".</param>
/// <param name="FaultKinds">The fault kinds that fired at least once, sorted; empty while the episode runs.</param>
public sealed record EpisodeSummary(
    string Id,
    string Suite,
    string TaskId,
    string Tier,
    string ScenarioId,
    int ScenarioVersion,
    long? Seed,
    string Agent,
    string ClientKind,
    string Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Outcome,
    double? Score,
    bool? Success,
    double? FinalReward,
    int StepCount,
    int MaxSteps,
    string? Prompt,
    string? Submission,
    string? AbandonReason,
    IReadOnlyList<string> FaultKinds)
{
    public static EpisodeSummary From(EpisodeEntity episode, IReadOnlyList<string> faultKinds) => new(
        episode.Id, episode.Suite, episode.TaskId, episode.Tier, episode.ScenarioId, episode.ScenarioVersion,
        episode.Seed, episode.Agent, episode.ClientKind, episode.Mode, episode.StartedAt, episode.EndedAt, episode.Outcome,
        episode.Score, episode.Success, episode.FinalReward, episode.StepCount, episode.MaxSteps, episode.Prompt, episode.Submission,
        episode.AbandonReason, faultKinds);
}
