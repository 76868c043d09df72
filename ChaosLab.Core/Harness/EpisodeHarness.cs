using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// The runtime harness of one episode, between a model and the environment: it decides which
/// tools and instructions the model sees (h3, h5), what a reply becomes (h2, and h4's bans on
/// repeating a failing call) and what is said after each step (h4, h5). With every layer off it
/// does only what any tool-calling client does: the first tool call, arguments parsed strictly.
/// It is given only public task information, the tools and what the agent observes.
/// </summary>
public sealed class EpisodeHarness
{
    private readonly List<HarnessIntervention> _interventions = [];
    private readonly IReadOnlyList<ToolDescriptor> _suiteTools;

    /// <param name="suiteTools">The suite's own tools (a submit tool is added when it has none).</param>
    public EpisodeHarness(HarnessOptions options, TaskBrief task, IReadOnlyList<ToolDescriptor> suiteTools)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(suiteTools);
        Options = options;
        Task = task;
        _suiteTools = suiteTools;
        ModelTools = AgentAction.ToolsOf(suiteTools);
        SystemPrompt = BasePrompt(task);
    }

    public HarnessOptions Options { get; }

    public TaskBrief Task { get; }

    /// <summary>The tools as offered to the model.</summary>
    public IReadOnlyList<ToolDescriptor> ModelTools { get; }

    /// <summary>The system message the conversation starts with.</summary>
    public string SystemPrompt { get; }

    public IReadOnlyList<HarnessIntervention> Interventions => _interventions;

    /// <summary>What <paramref name="reply"/> becomes, asked when the environment has taken <paramref name="stepCount"/> steps.</summary>
    public Realization Realize(ModelReply reply, int stepCount)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.ToolCalls.Count == 0)
        {
            return new Realization.NoAction("No tool call found in your reply. Act by calling one of the tools.");
        }

        var call = reply.ToolCalls[0];
        return new Realization.Execute(AgentAction.FromToolCall(_suiteTools, call.Name, StrictArguments(call.ArgumentsText)), call.Id);
    }

    /// <summary>What to tell the model after the step <paramref name="action"/> led to.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "h4 and h5 keep per-episode state here.")]
    public Regulation AfterStep(AgentAction action, AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(step);
        return Regulation.Nothing;
    }

    private static JsonObject StrictArguments(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string BasePrompt(TaskBrief task) =>
        $"""
        You are an agent solving a task in the ChaosLab environment (suite "{task.Suite}", task "{task.Title}").
        {task.Guidance}
        Act only by calling the tools offered. You have at most {task.MaxSteps} steps; every tool call is one step.
        """;
}
