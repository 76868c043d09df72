using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast;
using static ChaosLab.Tests.Suites.Mast.Episode.MastTestKit;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>
/// Bad input is a clear error, never a server error and never the end of the session: a refused
/// call is a spent step (-0.01) that says what is wrong, and the episode goes on.
/// </summary>
public sealed class MastInvalidInputTests
{
    private static readonly string Scenario = OnePerTier[1];

    public static TheoryData<string, string> RefusedCalls => new()
    {
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":{"retry_max":25}}}""", "config/retry_max" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":{"retry_delay_ms":250000}}}""", "config/retry_delay_ms" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":{"fallback":"pray"}}}""", "config/fallback" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":{"warp_drive":true}}}""", "config/warp_drive" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":{"role_specs":{"ghost-9":{"role":"writer"}}}}}""", "ghost-9" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":"retry everything"}}""", "arguments.config" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{"config":{},"runs":11}}""", "arguments.runs" },
        { """{"type":"call_tool","tool_name":"run_trial","arguments":{}}""", "arguments.config: required" },
        { """{"type":"call_tool","tool_name":"read_trace","arguments":{"run_id":"heldout#0"}}""", "unknown run 'heldout#0'" },
        { """{"type":"call_tool","tool_name":"read_trace","arguments":{"run_id":"trial-1#0"}}""", "unknown run 'trial-1#0'" },
        { """{"type":"call_tool","tool_name":"read_trace","arguments":{"run_id":7}}""", "arguments.run_id" },
        { """{"type":"call_tool","tool_name":"read_agent_log","arguments":{"run_id":"incident#0","agent_id":"ghost-9"}}""", "unknown agent 'ghost-9'" },
        { """{"type":"call_tool","tool_name":"deploy_to_production","arguments":{}}""", "unknown tool" },
    };

    [Theory]
    [MemberData(nameof(RefusedCalls))]
    public void Step_RefusedCall_SpentStepWithTheErrorAndTheSessionGoesOn(string action, string expected)
    {
        var (session, _) = Start(Scenario, 3);

        var refused = Step(session, JsonNode.Parse(action)!.AsObject());
        var next = Step(session, Call(MastTools.ReadPipeline));

        Assert.False(refused.Done);
        Assert.Equal("error", refused.Observation["status"]!.GetValue<string>());
        Assert.Contains(expected, refused.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(MastScorer.RefusedCallPenalty, refused.Reward);
        Assert.Equal(1, refused.Observation["step"]!.GetValue<int>());
        Assert.Equal("ok", next.Observation["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"type":"call_tool","tool_name":"read_trace","arguments":[1]}""")]
    [InlineData("""{"type":"call_tool","tool_name":"run_trial","arguments":"{}"}""")]
    [InlineData("""{"type":"submit_answer"}""")]
    [InlineData("""{"type":"warp"}""")]
    [InlineData("""{"retry_max":1,"retry_max":2}""")]
    public void Step_MalformedEnvelope_RefusedWithoutSpendingAStep(string action)
    {
        var (session, _) = Start(Scenario, 3);

        var result = Try(session, JsonNode.Parse(action)!);
        var next = Step(session, Call(MastTools.ReadPipeline));

        Assert.False(result.Succeeded);
        Assert.Equal(1, next.Observation["step"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"config":{"retry_max":25}}""", "/config/retry_max")]
    [InlineData("""{"config":{"timeout_ms":5}}""", "/config/timeout_ms")]
    [InlineData("""{"retry_max":25,"diagnosis":"FM-1.1"}""", "/retry_max")]
    [InlineData("""{"config":{},"verdict":"fixed"}""", "/verdict")]
    [InlineData("""{"config":[1]}""", "/config")]
    [InlineData("\"make it work\"", "answer")]
    public void Submit_InvalidConfig_SpentStepListingTheErrorsAndTheEpisodeContinues(string answer, string location)
    {
        var (session, _) = Start(Scenario, 3);

        var refused = Step(session, Submit(JsonNode.Parse(answer)!));
        var valid = Step(session, Submit(new JsonObject { ["config"] = new JsonObject() }));

        Assert.False(refused.Done);
        Assert.Null(refused.Grade);
        Assert.Contains(location, refused.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(refused.Observation["result"]!["errors"]!.AsArray());
        Assert.Equal(MastScorer.RefusedCallPenalty, refused.Reward);
        Assert.True(valid.Done);
    }

    [Fact]
    public void Submit_SeedsBareActionWithRetryMaxTwentyFive_RefusedAsASpentStep()
    {
        var (session, _) = Start(Scenario, 3);

        var refused = Step(session, new JsonObject { ["retry_max"] = 25, ["consistency_check"] = true, ["diagnosis"] = "FM-1.2 role spec" });

        Assert.False(refused.Done);
        Assert.Contains("/retry_max", refused.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_KeywordDiagnosis_AcceptedEarningNothingForIt()
    {
        var (session, _) = Start(Scenario, 3);

        var final = Step(session, Submit(new JsonObject { ["config"] = new JsonObject(), ["diagnosis"] = "FM-1.1 FM-1.2 FM-2.5 role format verification" }));

        Assert.True(final.Done);
        Assert.Equal(0, final.Grade!.Score);
        Assert.Equal("missing", final.Grade.Criteria.Single(c => c.Name == "diagnosis_mode").Verdict);
        Assert.NotEmpty(JsonNode.Parse(final.Record.CleanResult!)!["diagnosis_notes"]!.AsArray());
    }
}
