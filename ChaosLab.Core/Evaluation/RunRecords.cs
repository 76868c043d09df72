namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Where a run is in its life. Only a <see cref="Running"/> run's items are claimed; a run left
/// running by a stopped process is played on by whichever replica has free slots.
/// </summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    /// <summary>The run stopped on an error that concerns every item (e.g. the model endpoint refused the credentials).</summary>
    public const string Failed = "failed";

    public static bool IsFinal(string status) => status is Completed or Cancelled or Failed;
}

/// <summary>Where an item is: pending, running (an episode is being played), done (scored) or error (the agent failed).</summary>
public static class RunItemStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";
    public const string Error = "error";
}

/// <summary>One episode-to-be of a plan.</summary>
/// <param name="SeedIndex">1-based; the sealed seed is derived from the evaluation's name, the scenario and this index.</param>
/// <param name="Trial">1-based repetition of the same scenario and seed.</param>
public sealed record RunItemSpec(string Suite, string TaskId, string Tier, string ScenarioId, int SeedIndex, int Trial)
{
    /// <summary>Unique within a run and stable across restarts.</summary>
    public string Key => $"{Suite}/{ScenarioId}/{SeedIndex}/{Trial}";
}

/// <summary>A run to create.</summary>
/// <param name="AssignmentJson">The resolved assignment, with no header value in it.</param>
/// <param name="Origin">"cli", "web" or "api".</param>
/// <param name="Concurrency">Most items played at once, over every replica.</param>
public sealed record NewRun(string Name, string Agent, string? Model, string Harness, string AssignmentJson, string Origin, string? AblationId = null, string? Variant = null, int Concurrency = 1);

/// <summary>A claim of an item: which replica takes it, under which fresh episode id, and until when unless renewed.</summary>
public sealed record ItemLease(string Owner, string EpisodeId, DateTimeOffset Now, TimeSpan Duration)
{
    public DateTimeOffset ExpiresAt => Now + Duration;
}

/// <summary>An item held by a replica: every later write of it names all three, so a replica that lost it writes nothing.</summary>
public sealed record ItemHold(string RunId, string Key, string EpisodeId, string Owner);

/// <summary>An item a replica holds as the store sees it at a lease renewal, with its run's status.</summary>
public sealed record HeldItem(string RunId, string Key, string EpisodeId, string RunStatus);

/// <summary>A run with its totals.</summary>
/// <param name="MeanScore">Over the items done (null before the first).</param>
public sealed record RunSummary(
    string Id,
    string Name,
    string Agent,
    string? Model,
    string Harness,
    string? AblationId,
    string? Variant,
    string Origin,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    int Total,
    int Pending,
    int Running,
    int Done,
    int Errors,
    int Successes,
    double? MeanScore)
{
    public int Finished => Done + Errors;
}

/// <summary>One item of a run as stored.</summary>
/// <param name="LeaseOwner">The replica playing the item while it is running (its lease may have expired); null otherwise.</param>
public sealed record RunItem(
    string RunId,
    string Key,
    int Sequence,
    string Suite,
    string TaskId,
    string Tier,
    string ScenarioId,
    int SeedIndex,
    int Trial,
    string Status,
    int Attempts,
    string? EpisodeId,
    string? Outcome,
    double? Score,
    bool? Success,
    int? Steps,
    IReadOnlyDictionary<string, int> Interventions,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? LeaseOwner);

/// <summary>What a played item came to.</summary>
/// <param name="Interventions">Harness interventions per layer ("h2".."h5").</param>
public sealed record ItemResult(string? Outcome, double? Score, bool? Success, int Steps, IReadOnlyDictionary<string, int> Interventions);
