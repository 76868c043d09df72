using ChaosLab.Core.Agents;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Persistence;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>The failure patterns the export counts, on hand-made trajectories.</summary>
public sealed class TrajectoryExporterTests
{
    private const string Lookup = """{"type":"call_tool","tool_name":"kb","arguments":{"q":"x"}}""";
    private const string Submit = """{"type":"submit_answer","answer":"1"}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Detect_RefusalsSchemaErrorsAndH2Blocks_AllCountAsInvalidActions()
    {
        var trace = Trace(
            actions: [new TracedAction(0, "{}", "type: Unknown action"), new TracedAction(1, Lookup, null)],
            interventions: [new HarnessIntervention(1, "h2", "unknown tool", "blocked; told the model: unknown tool 'x'"), new HarnessIntervention(1, "h2", "case", "Kb -> kb")]);
        var steps = new[]
        {
            Step(1, """{"type":"call_tool","tool_name":"nope"}""", """{"error":"unknown tool 'nope'. Valid tools: kb"}"""),
            Step(2, Lookup, """{"error":"invalid arguments: arguments.q: required"}"""),
            Step(3, Lookup, """{"error":"timeout"}"""),
            Step(4, Submit, "{}", done: true),
        };

        var patterns = TrajectoryExporter.Detect(Item("correct", true, 4), trace, steps, maxSteps: 6);

        Assert.Equal((4, 1, false, false), (patterns.InvalidActions, patterns.RepeatedCalls, patterns.BudgetExhausted, patterns.PrematureSubmission));
    }

    [Fact]
    public void Detect_WrongSubmissionWithinTheFirstThird_Premature()
    {
        var steps = new[] { Step(1, Lookup, "{}"), Step(2, Submit, "{}", done: true) };

        Assert.True(TrajectoryExporter.Detect(Item("wrong", false, 2), null, steps, maxSteps: 6).PrematureSubmission);
        Assert.False(TrajectoryExporter.Detect(Item("wrong", false, 3), null, [.. steps, Step(3, Submit, "{}", done: true)], maxSteps: 6).PrematureSubmission);
        Assert.False(TrajectoryExporter.Detect(Item("correct", true, 2), null, steps, maxSteps: 6).PrematureSubmission);
    }

    [Fact]
    public void Detect_StepsReachTheBudget_ExhaustedAndNotPremature()
    {
        var steps = Enumerable.Range(1, 6).Select(i => Step(i, Lookup, "{}", done: i == 6)).ToList();

        var patterns = TrajectoryExporter.Detect(Item("step_limit", false, 6), null, steps, maxSteps: 6);

        Assert.Equal((5, true, false), (patterns.RepeatedCalls, patterns.BudgetExhausted, patterns.PrematureSubmission));
    }

    [Fact]
    public void Summary_RatesPerPatternOverTheItems()
    {
        var exhausted = TrajectoryExporter.Detect(Item("step_limit", false, 6), null, [.. Enumerable.Range(1, 6).Select(i => Step(i, Lookup, "{}", done: i == 6))], 6);
        var clean = TrajectoryExporter.Detect(Item("correct", true, 4), null, [Step(1, Lookup, "{}"), Step(4, Submit, "{}", done: true)], 6);
        var run = new RunSummary("r", "n", "a", null, "none", null, null, "cli", RunStatus.Completed, Now, Now, Now, null, 2, 0, 0, 2, 0, 1, 0.5);

        var summary = TrajectoryExporter.Summary(run, [exhausted, clean]);

        var overall = summary["overall"]!;
        Assert.Equal((2, 0.5, 1, 0.5), ((int)overall["items"]!, (double)overall["mean_score"]!, (int)overall["patterns"]!["budget_exhaustion"]!["items"]!, (double)overall["patterns"]!["budget_exhaustion"]!["rate"]!));
        Assert.Equal(5, (int)overall["patterns"]!["repeated_calls"]!["occurrences"]!);
        Assert.Equal(2, (int)summary["by_task"]!["tools/task1"]!["items"]!);
        Assert.Equal("tools_W01_1_1", TrajectoryExporter.SafeName("tools/W01/1/1"));
    }

    private static StoredAgentTrace Trace(IReadOnlyList<TracedAction> actions, IReadOnlyList<HarnessIntervention> interventions) =>
        new("a", null, "h2", [], [], actions, interventions, true, null);

    private static RunItem Item(string outcome, bool success, int steps) =>
        new("r", "tools/W01/1/1", 0, "tools", "task1", "warmup", "W01", 1, 1, RunItemStatus.Done, 1, "e", outcome, success ? 1 : 0, success, steps, new Dictionary<string, int>(), null, Now, Now, null);

    private static RecordedStep Step(int index, string action, string observation, bool done = false) => new()
    {
        EpisodeId = "e",
        StepIndex = index,
        ActionJson = action,
        ObservationJson = observation,
        FaultsJson = "[]",
        RewardComponentsJson = "[]",
        Done = done,
        EpisodeTime = Now,
    };
}
