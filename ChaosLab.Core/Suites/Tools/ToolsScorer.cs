using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Grading;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Scores a tools episode. The episode score, in [0, 1]:
/// <code>
/// C = correctness from AnswerGrader (0..1), gated: if no hard slot (a number, a date, or an
///     entity with no list of choices or more than three) is correct, C = 0, so guessing a
///     yes/no or one of two names earns nothing; for the density family, whose factor is only
///     meaningful relative to the denser country, C = 0 unless every slot is correct.
/// P = mean of the process components that apply:
///       cross_validation = key facts delivered by >= 2 independent sources / key facts
///       recovery         = hit facts obtained after the fault / facts a fault hit  (only if a fault hit one)
/// score = C * (0.85 + 0.15 * P)
/// </code>
/// Correctness dominates (at least 85% of the score) and a wrong answer scores 0 whatever the
/// process, because process credit is multiplied by C. No credit is given for call counts. The
/// action family (ticket) grades the ticket's final state, not the answer text. Running out of
/// steps scores 0.
/// Per-step shaped rewards (non-final steps) are clamped to [-0.10, +0.10]: +0.03 per key fact
/// first received, +0.02 per fact confirmed by a second independent source, +0.02 per fact
/// recovered after a fault, -0.02 for an unknown tool or invalid arguments, -0.02 for calling a
/// tool inside its Retry-After window, and -0.03 x k for repeating a call (same tool, same
/// canonical arguments) that already failed k times. The final step's reward is the score.
/// </summary>
public static class ToolsScorer
{
    public const double CorrectnessShare = 0.85;
    public const double ProcessShare = 0.15;
    public const double StepRewardBound = 0.10;
    public const double NewFactReward = 0.03;
    public const double CrossCheckReward = 0.02;
    public const double RecoveryReward = 0.02;
    public const double InvalidCallPenalty = -0.02;
    public const double RetryAfterPenalty = -0.02;
    public const double RepeatFailurePenalty = -0.03;

    public static EpisodeGrade Grade(ScenarioInstance scenario, string? answer, Workspace workspace, FactTracker facts, bool stepLimit)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(facts);
        var key = scenario.Key;
        var graded = scenario.TicketId is { } ticketId ? TicketAnswer(workspace, ticketId) : answer ?? "";
        var grade = AnswerGrader.Grade(key, graded);
        var hardCorrect = key.Slots.Zip(grade.Slots).Any(p => IsHard(p.First) && p.Second.Verdict == "correct");
        var allOrNothing = scenario.Definition.Family == ScenarioFamily.Density && grade.Slots.Any(v => v.Verdict != "correct");
        var correctness = stepLimit || !hardCorrect || allOrNothing ? 0 : grade.Correctness;

        var total = facts.Facts.Count;
        var crossValidation = total == 0 ? 0 : (double)facts.CrossValidated / total;
        var components = new List<double> { crossValidation };
        double? recovery = null;
        if (facts.Hit > 0)
        {
            recovery = (double)facts.Recovered / facts.Hit;
            components.Add(recovery.Value);
        }

        var process = components.Average();
        var score = Math.Clamp(correctness * (CorrectnessShare + (ProcessShare * process)), 0, 1);
        var outcome = stepLimit ? "step_limit"
            : correctness >= 0.999 ? "correct"
            : correctness > 0 ? "partial"
            : string.IsNullOrWhiteSpace(answer) && scenario.TicketId is null ? "no_answer"
            : "wrong";

        var parts = new List<RewardComponent>
        {
            new("correctness", correctness, stepLimit ? "step limit reached without an answer"
                : !hardCorrect ? "no hard slot correct: guessable slots earn nothing"
                : allOrNothing ? "the factor counts only with the right country: both slots must be correct"
                : $"AnswerGrader correctness {grade.Correctness:0.###}"),
            new("cross_validation", crossValidation, $"{facts.CrossValidated}/{total} key facts delivered by two independent sources"),
            new("recovery", recovery ?? 0, recovery is null ? "no fault hit a key fact" : $"{facts.Recovered}/{facts.Hit} facts hit by a fault were obtained afterwards"),
            new("process", process, "mean of the applicable process components"),
            new("score", score, $"C x ({CorrectnessShare} + {ProcessShare} x P)"),
        };
        var keyJson = key.ToJson();
        if (scenario.TicketId is not null)
        {
            keyJson["graded_from"] = "ticket " + scenario.TicketId;
        }

        return new EpisodeGrade(score, outcome, outcome == "correct", parts, grade.Slots, keyJson);
    }

    /// <summary>Slots a guess cannot hit: numbers, dates, and entities without a short (at most three) list of choices.</summary>
    public static bool IsHard(AnswerSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return slot.Kind switch
        {
            SlotKind.Boolean => false,
            SlotKind.Entity => slot.Choices is not { Count: > 0 and <= 3 },
            _ => true,
        };
    }

    /// <summary>The ticket's state as a JSON answer keyed by slot.</summary>
    private static string TicketAnswer(Workspace workspace, string ticketId)
    {
        var ticket = workspace.Tickets[ticketId];
        var answer = new JsonObject();
        if (ticket.Fields.TryGetValue(ScenarioTemplate.TicketField, out var value) && value is not null)
        {
            // A plain number is expected; a string holding exactly one unscaled number is accepted too.
            var number = value.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? JsonNumber.Read(value)
                : NumberScanner.Scan(value.ToString()) is [var only] ? only.Raw : (double?)null;
            if (number is { } n)
            {
                answer[ScenarioTemplate.TicketField] = n;
            }
        }

        answer["resolved"] = ticket.Status == "resolved";
        return answer.ToJsonString();
    }
}
