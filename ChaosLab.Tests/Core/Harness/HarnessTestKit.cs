using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>The real suites' tools and task briefs, and shorthand for replies and steps, for the harness tests.</summary>
internal static class HarnessTestKit
{
    public static IReadOnlyList<ToolDescriptor> ToolsSuiteTools { get; } = new ToolsSuite().Tools;

    public static IReadOnlyList<ToolDescriptor> MastSuiteTools { get; } = new MastSuite().Tools;

    public static IReadOnlyList<ToolDescriptor> GauntletSuiteTools { get; } = GauntletTools.All;

    public static HarnessOptions Only(HarnessLayer layer) => new()
    {
        H2 = layer == HarnessLayer.H2,
        H3 = layer == HarnessLayer.H3,
        H4 = layer == HarnessLayer.H4,
        H5 = layer == HarnessLayer.H5,
    };

    public static TaskBrief Brief(string suite = "tools", string family = "population", int maxSteps = 10, string taskId = "task1") => suite switch
    {
        "mast" => new TaskBrief("mast", "specification", "Harden a pipeline against specification failures", "Read the pipeline and the failed runs.", "beginner", family, maxSteps),
        "gauntlet" => new TaskBrief("gauntlet", family, "Harden a piece", "Read the source and the requirements, run the examples, submit.", "beginner", family, maxSteps),
        _ => new TaskBrief(suite, taskId, "Recover from a single bad retrieval path", "One retrieval path is reliably broken for the fact you need.", "warmup", family, maxSteps),
    };

    public static IReadOnlyList<ToolDescriptor> ToolsOf(string suite) => suite switch
    {
        "mast" => MastSuiteTools,
        "gauntlet" => GauntletSuiteTools,
        _ => ToolsSuiteTools,
    };

    public static EpisodeHarness NewHarness(HarnessOptions options, string suite = "tools", int maxSteps = 10, string family = "population") =>
        new(options, Brief(suite, family, maxSteps), ToolsOf(suite));

    public static ModelReply Call(string name, string arguments, string id = "call_1") => new(null, [new ModelToolCall(id, name, arguments)]);

    public static ModelReply Text(string text) => new(text, []);

    /// <summary>The tool call a realization executes (fails the test for anything else).</summary>
    public static AgentAction.CallTool Executed(Realization realization)
    {
        var execute = Assert.IsType<Realization.Execute>(realization);
        return Assert.IsType<AgentAction.CallTool>(execute.Action);
    }

    /// <summary>An observation as the session base writes it after a tool call.</summary>
    public static AgentStep Step(int step, int maxSteps, string tool, string status, JsonNode? result, string? error = null, bool done = false)
    {
        var observation = new JsonObject
        {
            ["kind"] = done ? "episode_end" : "tool_result",
            ["step"] = step,
            ["max_steps"] = maxSteps,
            ["steps_remaining"] = done ? 0 : maxSteps - step,
            ["tool_name"] = tool,
            ["status"] = status,
        };
        if (result is not null)
        {
            observation["result"] = result;
        }

        if (error is not null)
        {
            observation["error"] = error;
        }

        return new AgentStep(observation, 0, done, null, step);
    }

    public static AgentAction.CallTool Action(string tool, string arguments) => new(tool, JsonNode.Parse(arguments)!.AsObject());
}
