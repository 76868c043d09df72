using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class ResetAndEnvelopeTests
{
    [Fact]
    public void Reset_NoOptions_DrawsFromTheWholeSuiteBySeed()
    {
        var episodes = Enumerable.Range(0, 40).Select(seed =>
        {
            var session = Suite.CreateSession();
            Assert.True(session.Reset(new ResetOptions { Seed = seed }).Succeeded);
            return session.Episode!;
        }).ToList();

        Assert.Equal(ScenarioPool.Draw(Suite.Scenarios, 0).Id, episodes[0].ScenarioId);
        Assert.Equal(["task1", "task2", "task3"], episodes.Select(e => e.TaskId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(episodes, e => Assert.Equal(ScenarioCatalog.Tasks.Single(t => t.Id == e.TaskId).MaxSteps, e.MaxSteps));
    }

    [Fact]
    public void Reset_TaskAndTier_DrawsOnlyFromThatPool()
    {
        var drawn = Enumerable.Range(0, 30).Select(seed =>
        {
            var session = Suite.CreateSession();
            Assert.True(session.Reset(new ResetOptions { TaskId = "task3", Tier = "expert", Seed = seed }).Succeeded);
            Assert.Equal(("task3", "expert", 10), (session.Episode!.TaskId, session.Episode.Tier, session.Episode.MaxSteps));
            return session.Episode.ScenarioId;
        }).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["E09", "E10", "E11", "E12", "E15"], drawn);
    }

    [Theory]
    [InlineData("task9", null, null, "task_id")]
    [InlineData(null, "legendary", null, "tier")]
    [InlineData(null, null, "Z99", "scenario_id")]
    public void Reset_UnknownName_InvalidWithValidValues(string? task, string? tier, string? scenario, string path)
    {
        var session = Suite.CreateSession();
        var result = session.Reset(new ResetOptions { TaskId = task, Tier = tier, ScenarioId = scenario, Seed = 1 });
        Assert.False(result.Succeeded);
        Assert.Equal(EnvironmentErrorKind.Validation, result.ErrorKind);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.NotEmpty(error.ValidValues!);
        Assert.Null(session.Episode);
    }

    [Fact]
    public void Reset_ScenarioOfOtherTask_Invalid()
    {
        var result = Suite.CreateSession().Reset(new ResetOptions { TaskId = "task2", ScenarioId = "W01", Seed = 1 });
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Reset_Observation_CarriesEverythingTheAgentNeeds()
    {
        var (_, reset) = Start("I06", 3);
        var o = reset.Observation;
        foreach (var field in new[] { "question", "task_id", "tier", "scenario_id", "max_steps", "tools", "instructions", "guidance", "task_title" })
        {
            Assert.True(o.ContainsKey(field), field);
        }

        Assert.Equal(30, o["tools"]!.AsArray().Count);
        Assert.All(o["tools"]!.AsArray(), t => Assert.Equal("object", t!["input_schema"]!["type"]!.ToString()));
        Assert.False(o.ContainsKey("metadata"));
    }

    [Fact]
    public void Step_BeforeReset_Refused()
    {
        var result = TryStep(Suite.CreateSession(), Json("""{"type":"list_tools"}"""));
        Assert.Equal(EnvironmentErrorKind.State, result.ErrorKind);
    }

    [Fact]
    public void Step_AfterDone_Refused()
    {
        var (session, _) = Start("W01", 1);
        Assert.True(Step(session, Submit("no idea")).Done);
        var result = TryStep(session, Json("""{"type":"list_tools"}"""));
        Assert.Equal(EnvironmentErrorKind.State, result.ErrorKind);
    }

    [Theory]
    [InlineData("[1,2]", "")]
    [InlineData("\"call_tool\"", "")]
    [InlineData("{}", "type")]
    [InlineData("{\"type\":5}", "type")]
    [InlineData("{\"type\":\"dance\"}", "type")]
    [InlineData("{\"type\":\"call_tool\"}", "tool_name")]
    [InlineData("{\"type\":\"call_tool\",\"tool_name\":\"\"}", "tool_name")]
    [InlineData("{\"type\":\"call_tool\",\"tool_name\":\"calculator\",\"arguments\":[1]}", "arguments")]
    [InlineData("{\"type\":\"call_tool\",\"tool_name\":\"calculator\",\"arguments\":\"1+1\"}", "arguments")]
    [InlineData("{\"type\":\"submit_answer\"}", "answer")]
    [InlineData("{\"type\":\"submit_answer\",\"answer\":null}", "answer")]
    [InlineData("{\"type\":\"submit_answer\",\"answer\":\"x\",\"reasoning\":7}", "reasoning")]
    public void Step_MalformedEnvelope_InvalidNoStepSpentSessionIntact(string action, string path)
    {
        var (session, _) = Start("W01", 1);
        var result = TryStep(session, Json(action));
        Assert.Equal(EnvironmentErrorKind.Validation, result.ErrorKind);
        Assert.Equal(path, result.Errors[0].Path);
        Assert.False(string.IsNullOrWhiteSpace(result.Errors[0].Message));
        Assert.Equal(0, session.State["step_count"]!.GetValue<int>());
        var next = Step(session, Json("""{"type":"list_tools"}"""));
        Assert.Equal(1, next.Record.Index);
    }

    [Fact]
    public void ListTools_SpendsAStep_NoReward()
    {
        var (session, _) = Start("W01", 1);
        var result = Step(session, Json("""{"type":"list_tools"}"""));
        Assert.Equal(0, result.Reward);
        Assert.Equal(30, result.Observation["tools"]!.AsArray().Count);
        Assert.Equal(5, result.Observation["steps_remaining"]!.GetValue<int>());
    }

    [Fact]
    public void UnknownTools_CountAgainstTheStepLimit_EpisodeEnds()
    {
        var (session, _) = Start("W01", 1);
        StepResult last = null!;
        for (var i = 0; i < 6; i++)
        {
            last = CallTool(session, "teleport", new JsonObject());
            Assert.Equal("error", last.Observation["status"]!.ToString());
        }

        Assert.True(last.Done);
        Assert.Equal("step_limit", last.Grade!.Outcome);
        Assert.Equal(0, last.Reward);
        Assert.Equal(EnvironmentErrorKind.State, TryStep(session, Call("teleport", new JsonObject())).ErrorKind);
    }

    [Fact]
    public void State_WhileRunning_HasNoAnswerKey_AfterEndHasIt()
    {
        var (session, _) = Start("E05", 4);
        Assert.Null(session.State["grade"]);
        Assert.DoesNotContain("claim_accurate", session.State.ToJsonString(), StringComparison.Ordinal);
        Step(session, Submit("yes"));
        Assert.Contains("claim_accurate", session.State["grade"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Grade_OnlyOnFinalStep()
    {
        var (session, reset) = Start("W01", 2);
        Assert.Null(reset.Grade);
        Assert.Null(CallTool(session, "calculator", new JsonObject { ["expression"] = "1+1" }).Grade);
        var final = Step(session, Submit("12"));
        Assert.NotNull(final.Grade);
        Assert.Equal(final.Grade.Score, final.Reward);
        Assert.NotEmpty(final.Grade.AnswerKey!["slots"]!.AsArray());
    }

    [Fact]
    public void SubmitAnswerTool_EndsEpisodeLikeTheAction()
    {
        var (session, _) = Start("W01", 2);
        var final = CallTool(session, "submit_answer", new JsonObject { ["answer"] = "5", ["reasoning"] = "guess" });
        Assert.True(final.Done);
        Assert.NotNull(final.Grade);
    }
}
