using ChaosLab.Core.Persistence;

namespace ChaosLab.Core.Recording;

/// <summary>
/// One unit of work for the writer, fully serialized when it was queued: the engine's JSON
/// objects are mutable and belong to the session, so nothing of them is read later.
/// </summary>
internal abstract record RecordingItem(string EpisodeId);

/// <param name="Summary">The episode as it is once this item is stored, for the feed.</param>
internal sealed record EpisodeStartItem(EpisodeEntity Episode, RecordedStep Reset, IReadOnlyList<string> FiredFaultKinds, EpisodeSummary Summary)
    : RecordingItem(Episode.Id);

/// <param name="Finish">Set on the step that ends the episode.</param>
/// <param name="Durable">Completed once the batch holding this item committed (final steps only).</param>
internal sealed record StepItem(RecordedStep Step, IReadOnlyList<string> FiredFaultKinds, EpisodeFinish? Finish, TaskCompletionSource? Durable)
    : RecordingItem(Step.EpisodeId);

internal sealed record EpisodeAbandonItem(string Id, DateTimeOffset EndedAt, string Reason, EpisodeSummary Summary)
    : RecordingItem(Id);

/// <param name="Summary">The finished episode, for the feed.</param>
internal sealed record EpisodeFinish(
    DateTimeOffset EndedAt,
    string? Outcome,
    double? Score,
    bool? Success,
    string? GradeJson,
    double FinalReward,
    string? Submission,
    EpisodeSummary Summary);
