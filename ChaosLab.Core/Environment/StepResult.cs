using System.Text.Json.Nodes;

namespace ChaosLab.Core.Environment;

/// <summary>What one reset or step produced: what the agent sees, and the full record of it.</summary>
/// <param name="Observation">Delivered to the agent as is; never carries fault labels or the answer key.</param>
/// <param name="Reward">The step's shaped reward; on the final step, the episode score.</param>
/// <param name="Grade">Set on the step that ends the episode.</param>
public sealed record StepResult(JsonObject Observation, double Reward, bool Done, StepRecord Record, EpisodeGrade? Grade = null);

/// <summary>Everything the replay view needs about one step. Index 0 is the reset.</summary>
/// <param name="Action">The action as the agent sent it (null for the reset).</param>
/// <param name="CleanResult">What the tool or system really produced, before faults.</param>
/// <param name="DeliveredResult">What the agent received; differs from <paramref name="CleanResult"/> when a fault changed it.</param>
/// <param name="Faults">Every fault decision taken for this step, fired or not, with its inputs.</param>
/// <param name="EpisodeTime">The episode clock after the step (latency faults advance it; nothing really sleeps).</param>
/// <param name="Error">The error the agent was shown, if the action failed.</param>
/// <param name="Submission">On the step that ends the episode: what the agent submitted (text as sent,
/// anything else as compact JSON), however it submitted it (the action or a submit tool); null if
/// the episode ended without one.</param>
public sealed record StepRecord(
    int Index,
    JsonObject? Action,
    string? CleanResult,
    string? DeliveredResult,
    IReadOnlyList<FaultDecision> Faults,
    IReadOnlyList<RewardComponent> RewardComponents,
    DateTimeOffset EpisodeTime,
    string? Error,
    string? Submission = null);

/// <summary>One named part of a reward, so the replay can show where a reward came from.</summary>
public sealed record RewardComponent(string Name, double Value, string Reason);

/// <summary>
/// A fault decision: which fault was considered for which target, whether it fired, and the
/// inputs of the pure function that decided it.
/// </summary>
/// <param name="Parameters">Kind-specific parameters, e.g. <c>retry_after_steps</c>, <c>field</c>, <c>cut_at</c>.</param>
public sealed record FaultDecision(
    string Kind,
    string Target,
    bool Fired,
    string Trigger,
    string Reason,
    IReadOnlyDictionary<string, string> Parameters,
    FaultDecisionInputs Inputs);

/// <param name="Roll">The seeded draw in [0, 1) compared against <paramref name="Threshold"/>.</param>
public sealed record FaultDecisionInputs(
    long Seed,
    string ScenarioId,
    string Target,
    string CanonicalArguments,
    int Occurrence,
    double Roll,
    double Threshold);

/// <summary>How an episode was graded, revealed only once it is over.</summary>
/// <param name="Outcome">The suite's name for how it ended (the tools suite: "correct", "partial", "wrong", "no_answer" or "step_limit").</param>
/// <param name="Success">Whether the suite counts this outcome as solved: what success rates and curricula count, whatever the suite calls its outcomes.</param>
/// <param name="Criteria">What the grade was made of, one entry per criterion (the tools suite: one per answer slot); empty for a suite that grades as a whole.</param>
/// <param name="AnswerKey">What a right answer would have been, for the replay; null for a suite that has no single key.</param>
public sealed record EpisodeGrade(
    double Score,
    string Outcome,
    bool Success,
    IReadOnlyList<RewardComponent> Components,
    IReadOnlyList<GradeCriterion> Criteria,
    JsonObject? AnswerKey);

/// <summary>One graded criterion: what was expected, what the suite observed, and its verdict.</summary>
/// <param name="Name">The criterion's name, unique within the grade (the tools suite: the answer slot, e.g. "revenue_usd").</param>
/// <param name="Expected">What meeting the criterion looks like, as text for people.</param>
/// <param name="Observed">What the suite read or measured for it; null when nothing was found.</param>
/// <param name="Verdict">The suite's word for the result; the host only shows it. The tools suite says "correct",
/// "wrong", "missing" or "ambiguous" (several values offered for one slot).</param>
/// <param name="Weight">The criterion's share of the grade.</param>
/// <param name="Credit">What it earned, between 0 and <paramref name="Weight"/>.</param>
public sealed record GradeCriterion(string Name, string Expected, string? Observed, string Verdict, double Weight, double Credit);
