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
    /// <summary>
    /// Blocks in a row after which the next call goes to the environment as written: a block
    /// spends no step, so without this a model could stall an episode for ever.
    /// </summary>
    public const int MaxConsecutiveBlocks = 2;

    private readonly List<HarnessIntervention> _interventions = [];
    private readonly IReadOnlyList<ToolDescriptor> _suiteTools;
    private readonly ActionRealizer? _realizer;
    private int _consecutiveBlocks;

    /// <param name="suiteTools">The suite's own tools (a submit tool is added when it has none).</param>
    public EpisodeHarness(HarnessOptions options, TaskBrief task, IReadOnlyList<ToolDescriptor> suiteTools)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(suiteTools);
        Options = options;
        Task = task;
        _suiteTools = suiteTools;
        var suiteData = SuiteHarnessData.For(task.Suite);
        var tools = AgentAction.ToolsOf(suiteTools);
        ModelTools = tools;
        SystemPrompt = BasePrompt(task);
        if (options.IsOn(HarnessLayer.H2))
        {
            _realizer = new ActionRealizer(tools, suiteData);
        }
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
        var step = stepCount + 1;
        ProposedCall call;
        if (_realizer is null)
        {
            if (reply.ToolCalls.Count == 0)
            {
                return NoCall();
            }

            var first = reply.ToolCalls[0];
            call = new ProposedCall(first.Name, ProposedCall.StrictArguments(first.ArgumentsText), first.Id);
        }
        else
        {
            switch (_realizer.Read(reply))
            {
                case CallReading.NoCall:
                    return NoCall();
                case CallReading.Invalid invalid:
                    Record(step, HarnessLayer.H2, invalid.Repairs);
                    if (_consecutiveBlocks >= MaxConsecutiveBlocks)
                    {
                        Intervene(step, HarnessLayer.H2, $"{invalid.Trigger}, after {_consecutiveBlocks} blocks in a row", "let through as written, so the episode moves on");
                        return Execute(invalid.AsWritten);
                    }

                    return Block(step, HarnessLayer.H2, invalid.Trigger, invalid.Message + " Nothing was run and no step was spent; fix the call and try again.", invalid.AsWritten.CallId);
                case CallReading.Valid valid:
                    Record(step, HarnessLayer.H2, valid.Repairs);
                    call = valid.Call;
                    break;
                default:
                    throw new InvalidOperationException("Unknown call reading.");
            }
        }

        return Execute(call);
    }

    /// <summary>What to tell the model after the step <paramref name="action"/> led to.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "h4 and h5 keep per-episode state here.")]
    public Regulation AfterStep(AgentAction action, AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(step);
        return Regulation.Nothing;
    }

    private static Realization.NoAction NoCall() => new("No tool call found in your reply. Act by calling one of the tools.");

    private Realization.Execute Execute(ProposedCall call)
    {
        _consecutiveBlocks = 0;
        return new Realization.Execute(AgentAction.FromToolCall(_suiteTools, call.Name, call.Arguments), call.CallId);
    }

    private Realization.Block Block(int step, HarnessLayer layer, string trigger, string message, string? callId)
    {
        _consecutiveBlocks++;
        Intervene(step, layer, trigger, "blocked; told the model: " + message);
        return new Realization.Block(message, callId);
    }

    private void Record(int step, HarnessLayer layer, IEnumerable<HarnessRepair> repairs)
    {
        foreach (var repair in repairs)
        {
            Intervene(step, layer, repair.Trigger, repair.Change);
        }
    }

    private void Intervene(int step, HarnessLayer layer, string trigger, string change) =>
        _interventions.Add(new HarnessIntervention(step, layer.Name(), trigger, change));

    private static string BasePrompt(TaskBrief task) =>
        $"""
        You are an agent solving a task in the ChaosLab environment (suite "{task.Suite}", task "{task.Title}").
        {task.Guidance}
        Act only by calling the tools offered. You have at most {task.MaxSteps} steps; every tool call is one step.
        """;
}
