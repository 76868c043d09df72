using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// Engine records built by hand, as a suite would return them: the recorder's input is exactly
/// these records, so tests of recording and of the episodes API need no suite.
/// </summary>
public static class EpisodeSamples
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    /// <param name="mode">Sealed by default: those are the episodes the leaderboard ranks.</param>
    public static EpisodeInfo Info(string id, string suite = "tools", string task = "task1", string tier = "easy", string scenario = "E01", long seed = 7, int maxSteps = 10, EpisodeMode mode = EpisodeMode.Sealed, string? prompt = "What was ACME's revenue in 2025?") =>
        new(id, suite, task, tier, scenario, ScenarioVersion: 3, seed, maxSteps, mode, prompt);

    public static EpisodeStart Start(EpisodeInfo info, string agent = "naive", string client = "ws", DateTimeOffset? startedAt = null) =>
        new(info, agent, client, startedAt ?? Epoch);

    public static StepResult Reset(string question = "What was ACME's revenue in 2025?") => new(
        new JsonObject { ["question"] = question, ["tools"] = new JsonArray("search", "fetch") },
        0,
        false,
        new StepRecord(0, null, null, null, [], [], Epoch, null));

    /// <param name="firedFaults">Kinds of faults that fired in this step (one unfired "timeout" decision is always added).</param>
    public static StepResult Step(int index, double reward = 0.1, params string[] firedFaults) => new(
        new JsonObject { ["result"] = $"result {index}" },
        reward,
        false,
        new StepRecord(
            index,
            new JsonObject { ["type"] = "call_tool", ["tool"] = "search", ["arguments"] = new JsonObject { ["q"] = $"query {index}" } },
            $"clean {index}",
            firedFaults.Length > 0 ? $"faulty {index}" : $"clean {index}",
            [.. firedFaults.Select(kind => Fault(kind, fired: true, index)), Fault("timeout", fired: false, index)],
            [new RewardComponent("progress", reward, "found a relevant document")],
            Epoch.AddSeconds(index),
            firedFaults.Length > 0 ? "HTTP 503" : null));

    public static StepResult Final(int index, JsonNode? answer, double score = 1, string outcome = "correct") => new(
        new JsonObject { ["done"] = true },
        score,
        true,
        new StepRecord(
            index,
            new JsonObject { ["type"] = "submit", ["answer"] = answer?.DeepClone() },
            null,
            null,
            [],
            [new RewardComponent("correctness", score, outcome)],
            Epoch.AddSeconds(index),
            null,
            answer is null ? null : new AgentAction.Submit(answer, null).Text),
        new EpisodeGrade(
            score,
            outcome,
            outcome == "correct",
            [new RewardComponent("correctness", score, outcome)],
            [new GradeCriterion("revenue", "12.5 billion USD", "12.5 billion", outcome, 1, score)],
            new JsonObject { ["revenue"] = "12.5 billion USD" }));

    public static FaultDecision Fault(string kind, bool fired, int occurrence) => new(
        kind,
        "search",
        fired,
        "probability",
        fired ? "roll below threshold" : "roll above threshold",
        new Dictionary<string, string> { ["retry_after_steps"] = "2" },
        new FaultDecisionInputs(7, "E01", "search", """{"q":"x"}""", occurrence, fired ? 0.05 : 0.95, 0.2));

    /// <summary>Records a whole episode: reset, <paramref name="steps"/> steps, then a graded final step.</summary>
    public static async Task RecordEpisodeAsync(
        IEpisodeRecorder recorder, EpisodeStart start, int steps, string answer = "12.5 billion", double score = 1,
        string outcome = "correct", string question = "What was ACME's revenue in 2025?", params string[] faults)
    {
        recorder.EpisodeStarted(start with { Episode = start.Episode with { Prompt = question } }, Reset(question));
        for (var i = 1; i <= steps; i++)
        {
            await recorder.StepRecordedAsync(start.Episode.EpisodeId, Step(i, 0.1, i == 1 ? faults : []), TimeSpan.FromMilliseconds(i));
        }

        await recorder.StepRecordedAsync(start.Episode.EpisodeId, Final(steps + 1, answer, score, outcome), TimeSpan.FromMilliseconds(2));
    }
}
