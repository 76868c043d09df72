using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Small helpers for driving tools episodes in tests.</summary>
internal static class ToolsTestKit
{
    public static readonly ToolsSuite Suite = new();

    public static (IEpisodeSession Session, StepResult Reset) Start(string scenarioId, long seed)
    {
        var session = Suite.CreateSession();
        var reset = session.Reset(new ResetOptions { ScenarioId = scenarioId, Seed = seed, EpisodeId = "test" });
        Assert.True(reset.Succeeded, string.Join("; ", reset.Errors.Select(e => e.Path + ": " + e.Message)));
        return (session, reset.Value!);
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static JsonElement Call(string tool, JsonObject arguments) =>
        Json(new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments }.ToJsonString());

    public static JsonElement Submit(string answer) => Json(new JsonObject { ["type"] = "submit_answer", ["answer"] = answer }.ToJsonString());

    /// <summary>Sessions complete synchronously for every tool but python_execute with a real sandbox.</summary>
    public static EnvironmentResult<StepResult> TryStep(IEpisodeSession session, JsonElement action) => session.StepAsync(action).AsTask().GetAwaiter().GetResult();

    public static StepResult Step(IEpisodeSession session, JsonElement action)
    {
        var result = TryStep(session, action);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Path + ": " + e.Message)));
        return result.Value!;
    }

    public static StepResult CallTool(IEpisodeSession session, string tool, JsonObject arguments) => Step(session, Call(tool, arguments));

    public static ScenarioInstance Instance(string scenarioId, long seed) => ScenarioTemplate.Instantiate(ScenarioCatalog.Find(scenarioId)!, seed);
}
