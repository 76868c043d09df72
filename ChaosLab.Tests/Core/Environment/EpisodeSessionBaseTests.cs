using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Environment;

/// <summary>What a suite gets from the session base without writing it: the schema check of tool calls and the observation and state envelopes.</summary>
public sealed class EpisodeSessionBaseTests
{
    [Fact]
    public async Task Step_ArgumentTheSchemaRefuses_StepSpentWithTheErrorAndThePenalty()
    {
        using var session = Started();
        var result = await StepAsync(session, """{"type":"call_tool","tool_name":"peek","arguments":{"x":1}}""");

        Assert.Equal("tool_result", result.Observation["kind"]!.GetValue<string>());
        Assert.Equal("peek", result.Observation["tool_name"]!.GetValue<string>());
        Assert.Equal("error", result.Observation["status"]!.GetValue<string>());
        Assert.Equal("invalid arguments: arguments.x: unknown argument (the tool takes none)", result.Observation["error"]!.GetValue<string>());
        Assert.Equal(result.Observation["error"]!.GetValue<string>(), result.Record.Error);
        Assert.Equal(2, result.Observation["steps_remaining"]!.GetValue<int>());
        Assert.Equal(-0.02, result.Reward);
        Assert.Null(result.Record.DeliveredResult);
    }

    [Fact]
    public async Task Step_UnknownTool_RefusedBeforeTheSuiteActs()
    {
        using var session = Started();
        var result = await StepAsync(session, """{"type":"call_tool","tool_name":"poke"}""");

        Assert.Equal("unknown tool 'poke'. Valid tools: peek", result.Observation["error"]!.GetValue<string>());
        Assert.Equal("unknown tool", Assert.Single(result.Record.RewardComponents).Reason);
    }

    [Fact]
    public async Task ObservationAndState_EnvelopeAroundTheSuitesFields()
    {
        using var session = Started();
        var first = session.Reset(new ResetOptions { ScenarioId = "T01", Seed = 4, EpisodeId = "e1" }).Value!;
        Assert.Equal("""{"kind":"reset","task_id":"say","tier":"easy","scenario_id":"T01","question":"Say the word.","step":0,"max_steps":3,"steps_remaining":3,"time":"2026-04-08T00:00:00.000Z"}""",
            JsonSerializer.Serialize(first.Observation));

        var peek = await StepAsync(session, """{"type":"call_tool","tool_name":"peek","arguments":{}}""");
        Assert.Equal("""{"kind":"tool_result","task_id":"say","tier":"easy","scenario_id":"T01","question":"Say the word.","step":1,"max_steps":3,"steps_remaining":2,"time":"2026-04-08T00:00:00.000Z","word":"done","tool_name":"peek","status":"ok"}""",
            JsonSerializer.Serialize(peek.Observation));

        var end = await StepAsync(session, """{"type":"submit_answer","answer":"done"}""");
        Assert.Equal("episode_end", end.Observation["kind"]!.GetValue<string>());
        Assert.Equal(0, end.Observation["steps_remaining"]!.GetValue<int>());
        Assert.Equal("correct", end.Observation["outcome"]!.GetValue<string>());

        var state = session.State;
        Assert.Equal("e1", state["episode_id"]!.GetValue<string>());
        Assert.Equal("toy", state["suite"]!.GetValue<string>());
        Assert.Equal(2, state["step_count"]!.GetValue<int>());
        Assert.True(state["done"]!.GetValue<bool>());
        Assert.Equal(2, state["history"]!.AsArray().Count);
        Assert.Equal("correct", state["grade"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public void State_BeforeAReset_NamesTheSuiteOnly()
    {
        using var session = new ToySuite("toy").CreateSession();
        Assert.Equal("""{"suite":"toy","episode_id":null,"done":false,"step_count":0}""", JsonSerializer.Serialize(session.State));
    }

    private static IEpisodeSession Started()
    {
        var session = new ToySuite("toy").CreateSession();
        session.Reset(new ResetOptions { ScenarioId = "T01", Seed = 4 });
        return session;
    }

    private static async Task<StepResult> StepAsync(IEpisodeSession session, string action) =>
        (await session.StepAsync(JsonDocument.Parse(action).RootElement)).Value!;
}
