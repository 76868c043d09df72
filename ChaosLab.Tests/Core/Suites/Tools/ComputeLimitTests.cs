using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Tools that compute on agent input do bounded work: regexes cannot backtrack, JSONPath cannot fan out without limit.</summary>
public sealed class ComputeLimitTests
{
    private static ToolsSession Clean()
    {
        var session = (ToolsSession)Suite.CreateSession();
        Assert.True(session.Start(ScenarioCatalog.Find("W01")! with { BadPaths = [], FaultProbability = 0 }, 13, "limits").Succeeded);
        return session;
    }

    [Fact]
    public void AgentPattern_AnyPattern_NonBacktrackingWithTimeout()
    {
        var regex = ComputationTools.AgentPattern("(a+)+$");
        Assert.True(regex.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal(ComputationTools.MatchTimeout, regex.MatchTimeout);
    }

    [Fact]
    public void TextExtract_CatastrophicBacktrackingPattern_Answers()
    {
        // With a backtracking engine this pattern takes exponential time on this text.
        var text = new string('a', 19_000) + "!";
        var step = CallTool(Clean(), "text_extract", new JsonObject { ["text"] = text, ["pattern"] = "^(a+)+$" });
        Assert.Equal("ok", step.Observation["status"]!.ToString());
        Assert.Equal(0, step.Observation["result"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public void TextExtract_BackreferencePattern_InvalidPatternError()
    {
        var step = CallTool(Clean(), "text_extract", new JsonObject { ["text"] = "aa", ["pattern"] = @"(a)\1" });
        Assert.Equal("invalid_pattern", step.Observation["result"]!["error"]!.ToString());
    }

    [Fact]
    public void TextExtract_PatternLongerThanCap_InvalidArguments()
    {
        var step = CallTool(Clean(), "text_extract", new JsonObject { ["text"] = "a", ["pattern"] = new string('a', 201) });
        Assert.Equal("error", step.Observation["status"]!.ToString());
        Assert.Contains("arguments.pattern", step.Observation["error"]?.ToString() ?? step.Observation.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPath_WildcardsSelectTooMany_Error()
    {
        var data = new JsonArray([.. Enumerable.Range(0, 40).Select(_ => (JsonNode)new JsonArray([.. Enumerable.Range(0, 40).Select(i => (JsonNode)i)]))]);
        var (result, error) = JsonPathQuery.Evaluate(data, "$[*][*]");
        Assert.Null(result);
        Assert.Contains("more than 1000 values", error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPath_TooManySteps_Error()
    {
        var (_, error) = JsonPathQuery.Evaluate(new JsonObject(), "$" + string.Concat(Enumerable.Repeat(".a", JsonPathQuery.MaxSteps + 1)));
        Assert.Contains("steps", error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPath_WithinLimits_Answers()
    {
        var data = JsonNode.Parse("""{"items":[{"v":1},{"v":2}]}""");
        var (result, error) = JsonPathQuery.Evaluate(data, "$.items[*].v");
        Assert.Null(error);
        Assert.Equal("[1,2]", result!.ToJsonString());
    }
}
