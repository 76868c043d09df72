using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Tests.Core.Sandbox;

namespace ChaosLab.Tests.Suites.Gauntlet.Episode;

/// <summary>Shared helpers of the gauntlet episode tests: a suite of the tiny piece on the real sandbox, sessions, actions.</summary>
internal static class GauntletEpisodeKit
{
    public static GauntletSuite Suite { get; } = new(SharedSandbox.Instance, [TinyPiece.Instance]);

    public static string Scenario(string tier = "expert") => $"gauntlet-tiny-{tier}";

    public static (IEpisodeSession Session, JsonObject Observation) Start(string scenarioId, long seed, EpisodeMode mode = EpisodeMode.Practice, GauntletSuite? suite = null)
    {
        var session = (suite ?? Suite).CreateSession();
        var reset = session.Reset(new ResetOptions { ScenarioId = scenarioId, Seed = seed, Mode = mode, EpisodeId = $"test-{scenarioId}" });
        Assert.True(reset.Succeeded, string.Join("; ", reset.Errors.Select(e => e.Path + ": " + e.Message)));
        return (session, reset.Value!.Observation);
    }

    public static async Task<StepResult> StepAsync(IEpisodeSession session, JsonObject action)
    {
        var result = await TryAsync(session, action);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Path + ": " + e.Message)));
        return result.Value!;
    }

    public static async Task<EnvironmentResult<StepResult>> TryAsync(IEpisodeSession session, JsonNode action)
    {
        using var document = JsonDocument.Parse(action.ToJsonString());
        return await session.StepAsync(document.RootElement);
    }

    public static JsonObject Call(string tool, JsonObject? arguments = null) => new()
    {
        ["type"] = "call_tool",
        ["tool_name"] = tool,
        ["arguments"] = arguments ?? [],
    };

    public static JsonObject Code(string tool, string code) => Call(tool, new JsonObject { ["code"] = code });

    public static JsonObject Submit(JsonNode answer) => new() { ["type"] = "submit_answer", ["answer"] = answer };

    /// <summary>Plays one agent to the end on a suite; its final step.</summary>
    public static async Task<StepResult> PlayAsync(GauntletSuite suite, ReferenceAgent agent, string scenarioId, long seed, EpisodeMode mode = EpisodeMode.Practice)
    {
        using var session = suite.CreateSession();
        var final = await AgentRunner.RunAsync(agent.Create(), session, new ResetOptions { ScenarioId = scenarioId, Seed = seed, Mode = mode });
        Assert.NotNull(final);
        return final;
    }
}
