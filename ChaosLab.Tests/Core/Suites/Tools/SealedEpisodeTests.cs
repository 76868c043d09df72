using System.Text.Json;
using ChaosLab.Core.Suites.Tools.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>What a sealed episode keeps from its agent while it runs: the seed, and rewards that depend on the truth.</summary>
public sealed class SealedEpisodeTests
{
    /// <summary>Rewards an agent can explain from what it saw itself.</summary>
    private static readonly string[] ObservableRewards = ["invalid_call", "ignored_retry_after", "repeat_failing_call", "list_tools", "server_error"];

    private static readonly string[] DataFaults = ["value_corruption", "stale_data", "conflicting_duplicate", "field_drop", "truncation", "schema_drift"];

    [Fact]
    public void State_SealedEpisodeRunning_HidesTheSeedUntilItEnds()
    {
        var session = Suite.CreateSession();
        session.Reset(new ResetOptions { ScenarioId = "W01", Seed = 123_456_789_012, Mode = EpisodeMode.Sealed });

        var running = session.State;
        Step(session, Call("calculator", new() { ["expression"] = "1+1" }));
        var stillRunning = session.State;
        Step(session, Submit("no idea"));
        var ended = session.State;

        Assert.Equal("sealed", running["mode"]!.GetValue<string>());
        Assert.Null(running["seed"]);
        Assert.DoesNotContain("123456789012", running.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(stillRunning["seed"]);
        Assert.Equal(123_456_789_012, ended["seed"]!.GetValue<long>());
        Assert.NotNull(ended["grade"]!["answer_key"]);
    }

    [Fact]
    public void Reset_SealedFixedWorldScenario_RefusedBecauseItsAnswersAreKnown()
    {
        var fixedWorld = ScenarioCatalog.All.First(s => s.FixedWorld is not null);

        var sealedReset = Suite.CreateSession().Reset(new ResetOptions { ScenarioId = fixedWorld.Id, Seed = 1, Mode = EpisodeMode.Sealed });
        var practiceReset = Suite.CreateSession().Reset(new ResetOptions { ScenarioId = fixedWorld.Id, Seed = 1 });

        Assert.Equal("scenario_id", Assert.Single(sealedReset.Errors).Path);
        Assert.True(practiceReset.Succeeded);
    }

    [Fact]
    public void Reset_SealedWithoutScenario_NeverDrawsAFixedWorld()
    {
        var fixedIds = Suite.Scenarios.Where(s => s.FixedAnswers).Select(s => s.Id).ToHashSet();
        var task = ScenarioCatalog.All.First(s => s.FixedWorld is not null).TaskId;

        var drawn = Enumerable.Range(0, 400).Select(seed => Suite.CreateSession().Reset(new ResetOptions { TaskId = task, Seed = seed, Mode = EpisodeMode.Sealed }).Value!.Observation["scenario_id"]!.GetValue<string>()).ToHashSet();
        var practice = Enumerable.Range(0, 400).Select(seed => Suite.CreateSession().Reset(new ResetOptions { TaskId = task, Seed = seed }).Value!.Observation["scenario_id"]!.GetValue<string>()).ToHashSet();

        Assert.NotEmpty(fixedIds);
        Assert.Empty(drawn.Intersect(fixedIds));
        Assert.NotEmpty(practice.Intersect(fixedIds));
    }

    [Fact]
    public void State_PracticeEpisode_ShowsTheSeedItWasGiven()
    {
        var (session, _) = Start("W01", 42);

        Assert.Equal(("practice", 42L), (session.State["mode"]!.GetValue<string>(), session.State["seed"]!.GetValue<long>()));
    }

    [Fact]
    public async Task StepRewards_SealedEpisodes_CarryOnlyWhatTheAgentCanObserve()
    {
        var (sealedSteps, _) = await PlayAsync(EpisodeMode.Sealed);

        var paid = sealedSteps.Where(s => !s.Done).SelectMany(s => s.Record.RewardComponents).Select(c => c.Name).Distinct().ToList();

        Assert.NotEmpty(sealedSteps);
        Assert.All(paid, name => Assert.Contains(name, ObservableRewards));
    }

    /// <summary>
    /// The adversary's finding: in practice, a retrieval step whose key value a fault corrupted
    /// never earned new_fact, while a third of clean ones did, so the reward told the agent which
    /// source to believe. In sealed episodes the reward of a retrieval step must not depend on
    /// whether what it delivered was true.
    /// </summary>
    [Fact]
    public async Task StepRewards_SealedEpisodes_SameForCorruptedAndCleanRetrievals()
    {
        var (practiceSteps, practiceScore) = await PlayAsync(EpisodeMode.Practice);
        var (sealedSteps, sealedScore) = await PlayAsync(EpisodeMode.Sealed);

        var practice = RewardRates(practiceSteps);
        var sealedRates = RewardRates(sealedSteps);

        // The oracle exists in practice (so this test can see one)...
        Assert.True(practice.Clean > practice.Corrupted + 0.1, $"practice: clean {practice.Clean:P0}, corrupted {practice.Corrupted:P0}");
        Assert.True(sealedRates.CleanCount > 20 && sealedRates.CorruptedCount > 20, $"{sealedRates.CleanCount} clean, {sealedRates.CorruptedCount} corrupted retrievals");

        // ...and not in sealed episodes, where the same play is graded the same in the end.
        Assert.Equal(0, sealedRates.Clean);
        Assert.Equal(0, sealedRates.Corrupted);
        Assert.Equal(practiceScore, sealedScore, 9);
    }

    [Theory]
    [InlineData("""{"type":"submit_answer","answer":{"population":1,"population":2}}""", "answer.population")]
    [InlineData("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"1","expression":"2"}}""", "arguments.expression")]
    [InlineData("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"\ud800"}}""", "arguments.expression")]
    [InlineData("""{"type":"submit_answer","answer":"\udc00 million"}""", "answer")]
    public void Step_DuplicateKeyOrLoneSurrogate_RefusedWithoutSpendingAStep(string action, string path)
    {
        var (session, _) = Start("W01", 3);

        var refused = TryStep(session, Json(action));
        var next = Step(session, Call("calculator", new() { ["expression"] = "2*3" }));

        Assert.False(refused.Succeeded);
        Assert.Equal(path, refused.Errors[0].Path);
        Assert.Equal(1, next.Record.Index);
        Assert.False(next.Done);
    }

    private static async Task<(List<StepResult> Steps, double TotalScore)> PlayAsync(EpisodeMode mode)
    {
        var steps = new List<StepResult>();
        var total = 0.0;
        foreach (var scenario in ScenarioCatalog.All.Where(s => s.TaskId is "task2" or "task3"))
        {
            for (var seed = 1; seed <= 4; seed++)
            {
                var agent = new ResilientAgent();
                var session = Suite.CreateSession();
                var observation = session.Reset(new ResetOptions { ScenarioId = scenario.Id, Seed = seed, Mode = mode }).Value!.Observation;
                while (true)
                {
                    using var action = JsonDocument.Parse(agent.NextAction(observation).ToJsonString());
                    var step = (await session.StepAsync(action.RootElement)).Value!;
                    steps.Add(step);
                    observation = step.Observation;
                    if (step.Done)
                    {
                        total += step.Grade!.Score;
                        break;
                    }
                }
            }
        }

        return (steps, total);
    }

    /// <summary>Share of retrieval steps that earned a positive reward: clean ones, and ones a data fault changed.</summary>
    private static (double Clean, double Corrupted, int CleanCount, int CorruptedCount) RewardRates(List<StepResult> steps)
    {
        var retrievals = steps
            .Where(s => !s.Done && s.Record.Action?["tool_name"] is { } tool && ToolNames.Retrieval.Contains(tool.GetValue<string>()) && s.Record.Error is null)
            .ToList();
        var corrupted = retrievals.Where(s => s.Record.Faults.Any(f => f.Fired && DataFaults.Contains(f.Kind))).ToList();
        var clean = retrievals.Where(s => !s.Record.Faults.Any(f => f.Fired)).ToList();
        static double Rate(List<StepResult> group) => group.Count == 0 ? 0 : (double)group.Count(s => s.Reward > 0) / group.Count;
        return (Rate(clean), Rate(corrupted), clean.Count, corrupted.Count);
    }
}
