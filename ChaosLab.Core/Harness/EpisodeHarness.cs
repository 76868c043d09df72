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

    /// <summary>Error texts of failed steps h5 adds to its query after a failure (the most recent ones).</summary>
    private const int RecentErrors = 3;

    private readonly List<HarnessIntervention> _interventions = [];
    private readonly IReadOnlyList<ToolDescriptor> _suiteTools;
    private readonly ActionRealizer? _realizer;
    private readonly TrajectoryRegulator? _regulator;
    private readonly SkillRetriever? _skills;
    private readonly HashSet<string> _injectedSkills = new(StringComparer.Ordinal);
    private readonly List<string> _toolsCalled = [];
    private readonly List<string> _recentErrors = [];
    private int _consecutiveBlocks;

    /// <param name="suiteTools">The suite's own tools (a submit tool is added when it has none).</param>
    public EpisodeHarness(HarnessOptions options, TaskBrief task, IReadOnlyList<ToolDescriptor> suiteTools)
        : this(options, task, suiteTools, SkillLibrary.BuiltIn)
    {
    }

    /// <param name="suiteTools">The suite's own tools (a submit tool is added when it has none).</param>
    /// <param name="skills">The skill library h5 retrieves from (the built-in one unless a test or an evolution loop gives another).</param>
    public EpisodeHarness(HarnessOptions options, TaskBrief task, IReadOnlyList<ToolDescriptor> suiteTools, SkillLibrary skills)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(suiteTools);
        ArgumentNullException.ThrowIfNull(skills);
        Options = options;
        Task = task;
        _suiteTools = suiteTools;
        var suiteData = SuiteHarnessData.For(task.Suite);
        var tools = AgentAction.ToolsOf(suiteTools);
        ModelTools = tools;
        SubmitTool = ToolContract.SubmitToolOf(suiteTools);
        var prompt = BasePrompt(task);
        if (options.IsOn(HarnessLayer.H2))
        {
            // h2 validates against the real schemas; h3 changes descriptions only.
            _realizer = new ActionRealizer(tools, suiteData);
        }

        if (options.IsOn(HarnessLayer.H3))
        {
            ModelTools = ToolContract.Apply(tools, suiteData);
            var suiteLines = suiteData.Constraints.Values.Sum(l => l.Count);
            Intervene(0, HarnessLayer.H3, "environment contract", $"{ModelTools.Count} tool descriptions gained argument formats, step costs, {suiteLines} suite constraint lines and the verify warning");
        }

        if (options.IsOn(HarnessLayer.H4))
        {
            _regulator = new TrajectoryRegulator(SubmitTool, task.MaxSteps);
        }

        if (options.IsOn(HarnessLayer.H5) && options.H5TopK > 0)
        {
            _skills = new SkillRetriever(skills, task);
            var chosen = _skills.Retrieve(SkillQuery(), options.H5TopK);
            if (chosen.Count > 0)
            {
                _injectedSkills.UnionWith(chosen.Select(s => s.Id));
                prompt += "\n\nProcedures that help with tasks like this one (general advice, not facts about this episode):\n\n" + string.Join("\n\n", chosen.Select(s => s.ToPrompt()));
                Intervene(0, HarnessLayer.H5, $"task family {task.Family}", "skills in the system prompt: " + string.Join("; ", chosen.Select(s => s.Title)));
            }
        }

        SystemPrompt = prompt;
    }

    public HarnessOptions Options { get; }

    public TaskBrief Task { get; }

    /// <summary>The tools as offered to the model.</summary>
    public IReadOnlyList<ToolDescriptor> ModelTools { get; }

    /// <summary>
    /// The tool that ends the episode (the suite's own submit tool, else <c>submit_answer</c>): the
    /// one tool to offer when <see cref="Regulation.ForceSubmit"/> says only a submission may follow.
    /// </summary>
    public string SubmitTool { get; }

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
                    if (_consecutiveBlocks >= MaxConsecutiveBlocks)
                    {
                        // As written: the repairs that could not make it valid are not applied either.
                        Intervene(step, HarnessLayer.H2, $"{invalid.Trigger}, after {_consecutiveBlocks} blocks in a row", "let through as written, so the episode moves on");
                        return Execute(invalid.AsWritten);
                    }

                    Record(step, HarnessLayer.H2, invalid.Repairs);
                    return Block(step, HarnessLayer.H2, invalid.Trigger, invalid.Message + " Nothing was run and no step was spent; fix the call and try again.", invalid.AsWritten.CallId);
                case CallReading.Valid valid:
                    Record(step, HarnessLayer.H2, valid.Repairs);
                    call = valid.Call;
                    break;
                default:
                    throw new InvalidOperationException("Unknown call reading.");
            }
        }

        if (_regulator?.Forbids(ActionOf(call)) is { } forbidden)
        {
            if (_consecutiveBlocks >= MaxConsecutiveBlocks)
            {
                Intervene(step, HarnessLayer.H4, $"blocked call repeated after {_consecutiveBlocks} blocks in a row: {call.Name}", "let through, so the episode moves on");
                return Execute(call);
            }

            return Block(step, HarnessLayer.H4, $"blocked call repeated: {call.Name}", forbidden, call.CallId);
        }

        return Execute(call);
    }

    /// <summary>What to tell the model after the step <paramref name="action"/> led to.</summary>
    public Regulation AfterStep(AgentAction action, AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(step);
        var next = step.StepIndex + 1;
        var notes = new List<string>();
        var forceSubmit = false;
        if (_regulator is not null)
        {
            var verdict = _regulator.After(action, step);
            foreach (var note in verdict.Notes)
            {
                Intervene(next, HarnessLayer.H4, note.Trigger, note.Change);
                notes.Add(note.Text);
            }

            forceSubmit = verdict.ForceSubmit;
        }

        if (_skills is not null && SkillAfter(action, step) is { } skill)
        {
            Intervene(next, HarnessLayer.H5, skill.Trigger, skill.Change);
            notes.Add(skill.Text);
        }

        return notes.Count == 0 && !forceSubmit ? Regulation.Nothing : new Regulation(notes, forceSubmit);
    }

    /// <summary>h5 after a step: remember the trajectory; after a failure, one skill not injected yet, if any matches.</summary>
    private HarnessNote? SkillAfter(AgentAction action, AgentStep step)
    {
        var view = ObservationView.Of(step);
        if (action is AgentAction.CallTool call && !_toolsCalled.Contains(call.ToolName, StringComparer.Ordinal))
        {
            _toolsCalled.Add(call.ToolName);
        }

        if (!view.Failed || step.Done)
        {
            return null;
        }

        var error = view.ErrorText ?? "error";
        _recentErrors.Add(error);
        if (_recentErrors.Count > RecentErrors)
        {
            _recentErrors.RemoveAt(0);
        }

        // The latest error twice: it is what the model has to deal with now.
        if (_skills!.Retrieve($"{SkillQuery()} {error} {error}", 1, _injectedSkills) is not [var skill])
        {
            return null;
        }

        _injectedSkills.Add(skill.Id);
        var tool = view.ToolName ?? (action as AgentAction.CallTool)?.ToolName ?? "the call";
        return new HarnessNote($"failed step: {tool}", "injected skill: " + skill.Title, "Harness skill that may help:\n" + skill.ToPrompt());
    }

    /// <summary>h5's query: the task's public description and the trajectory so far (tools called, recent errors).</summary>
    private string SkillQuery() =>
        string.Join(' ', [Task.Family, Task.Title, Task.Guidance, .. _toolsCalled, .. _recentErrors]);

    private AgentAction ActionOf(ProposedCall call) => AgentAction.FromToolCall(_suiteTools, call.Name, call.Arguments);

    private static Realization.NoAction NoCall() => new("No tool call found in your reply. Act by calling one of the tools.");

    private Realization.Execute Execute(ProposedCall call)
    {
        _consecutiveBlocks = 0;
        return new Realization.Execute(ActionOf(call), call.CallId);
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
