using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>Shared helpers of the mast episode tests: one suite, sessions on a scenario and seed, actions.</summary>
internal static class MastTestKit
{
    public static MastSuite Suite { get; } = new();

    public static (IEpisodeSession Session, JsonObject Observation) Start(string scenarioId, long seed, EpisodeMode mode = EpisodeMode.Practice)
    {
        var session = Suite.CreateSession();
        var reset = session.Reset(new ResetOptions { ScenarioId = scenarioId, Seed = seed, Mode = mode, EpisodeId = $"test-{scenarioId}" });
        Assert.True(reset.Succeeded, string.Join("; ", reset.Errors.Select(e => e.Path + ": " + e.Message)));
        return (session, reset.Value!.Observation);
    }

    /// <summary>A scenario of each tier (the first in catalog order).</summary>
    public static IReadOnlyList<string> OnePerTier { get; } = [.. Suite.Tiers.Select(t => Suite.Scenarios.First(s => s.Tier == t).Id)];

    public static StepResult Step(IEpisodeSession session, JsonObject action)
    {
        var result = Try(session, action);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Path + ": " + e.Message)));
        return result.Value!;
    }

    public static EnvironmentResult<StepResult> Try(IEpisodeSession session, JsonNode action)
    {
        using var document = JsonDocument.Parse(action.ToJsonString());
        return session.StepAsync(document.RootElement).AsTask().GetAwaiter().GetResult();
    }

    public static JsonObject Call(string tool, JsonObject? arguments = null) => new()
    {
        ["type"] = "call_tool",
        ["tool_name"] = tool,
        ["arguments"] = arguments ?? [],
    };

    public static JsonObject Submit(JsonNode answer) => new() { ["type"] = "submit_answer", ["answer"] = answer };

    /// <summary>Plays one reference or exploit agent to the end; its final step.</summary>
    public static StepResult Play(ReferenceAgent agent, string scenarioId, long seed, EpisodeMode mode = EpisodeMode.Practice)
    {
        using var session = Suite.CreateSession();
        var final = AgentRunner.RunAsync(agent.Create(), session, new ResetOptions { ScenarioId = scenarioId, Seed = seed, Mode = mode }).AsTask().GetAwaiter().GetResult();
        Assert.NotNull(final);
        return final;
    }

    public static ReferenceAgent Agent(string name) => Suite.ReferenceAgents.Concat(Suite.ExploitAgents).Single(a => a.Name == name);
}
