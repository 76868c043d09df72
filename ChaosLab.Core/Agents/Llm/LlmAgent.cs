using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using Microsoft.Extensions.AI;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// A model behind a chat client playing an episode through the <see cref="EpisodeHarness"/>: the
/// system prompt and tools are the harness's, each reply is realized by it (an action, a block
/// that spends no step, or nothing), every action goes through the port, and what the harness
/// says after a step is merged into the tool result. One action per model turn. The conversation,
/// every raw reply, the actions and the interventions are recorded in the trace.
/// Holds no per-episode state, so one instance may play several episodes at once.
/// </summary>
public sealed class LlmAgent : IEpisodeAgent
{
    /// <summary>Longest observation shown to the model, in characters; a longer one is cut with a note saying so.</summary>
    public const int MaxObservationChars = 12_000;

    /// <summary>Replies in a row without an action after which the agent gives up.</summary>
    public const int MaxConsecutiveNoActions = 3;

    /// <summary>What the other tool calls of a reply are answered with (only the first one runs).</summary>
    public const string NotRunMessage = "not run: one tool call per turn";

    /// <summary>JSON as the model reads it: quotes and non-ASCII text as themselves, not \u0022 escapes.</summary>
    private static readonly JsonSerializerOptions ModelText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IChatClient _client;
    private readonly HarnessOptions _harness;
    private readonly TimeProvider _time;

    /// <param name="client">The model (e.g. from <see cref="ChatClientFactory"/>); not disposed by the agent.</param>
    public LlmAgent(string name, IChatClient client, HarnessOptions harness, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(time);
        Name = name;
        _client = client;
        _harness = harness;
        _time = time;
    }

    public string Name { get; }

    /// <summary>Model turns an episode may take: two per step (a blocked or empty reply spends none) and a few spare.</summary>
    public static int MaxTurns(TaskBrief task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return (task.MaxSteps * 2) + 5;
    }

    /// <exception cref="ModelEndpointException">The endpoint failed after the profile's retries; its <see cref="ModelEndpointException.Trace"/> holds the episode so far.</exception>
    /// <exception cref="ProfileVariableException">A header's environment variable is not set.</exception>
    /// <exception cref="InvalidOperationException">The reset observation lists no tools.</exception>
    public async Task<AgentEpisodeTrace> PlayAsync(IEnvironmentPort port, TaskBrief task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(task);
        var episode = new Episode(port, task, new EpisodeHarness(_harness, task, ObservedTools.From(port.First.Observation)));
        try
        {
            await PlayAsync(episode, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelEndpointException e)
        {
            episode.Trace.Error = e.Message;
            CopyInterventions(episode);
            throw e.WithTrace(episode.Trace);
        }

        CopyInterventions(episode);
        return episode.Trace;
    }

    private static void CopyInterventions(Episode episode) => episode.Trace.Interventions.AddRange(episode.Harness.Interventions);

    private async Task PlayAsync(Episode episode, CancellationToken cancellationToken)
    {
        var harness = episode.Harness;
        var tools = Declarations(harness.ModelTools);
        episode.Add(new ChatMessage(ChatRole.System, harness.SystemPrompt));
        episode.Add(new ChatMessage(ChatRole.User, FirstPrompt(episode.Task, episode.Step.Observation)));

        var forceSubmit = false;
        var noActions = 0;
        var maxTurns = MaxTurns(episode.Task);
        for (var turn = 1; !episode.Step.Done; turn++)
        {
            if (turn > maxTurns)
            {
                episode.Trace.Error = $"stopped after {maxTurns} model turns without the episode ending";
                return;
            }

            var reply = await AskAsync(episode, turn, TurnOptions(tools, forceSubmit), cancellationToken).ConfigureAwait(false);
            switch (harness.Realize(reply, episode.Step.StepIndex))
            {
                case Realization.Execute execute:
                    noActions = 0;
                    forceSubmit = await ExecuteAsync(episode, reply, execute, cancellationToken).ConfigureAwait(false);
                    break;
                case Realization.Block block:
                    noActions = 0;
                    Answer(episode, reply, block.CallId, block.MessageToModel);
                    break;
                case Realization.NoAction none:
                    Answer(episode, reply, null, none.MessageToModel);
                    if (++noActions >= MaxConsecutiveNoActions)
                    {
                        episode.Trace.Error = $"the model replied {noActions} times in a row without an action";
                        return;
                    }

                    break;
            }
        }

        episode.Trace.Finished = true;
    }

    private async Task<ModelReply> AskAsync(Episode episode, int turn, ChatOptions options, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var beforeStep = episode.Step.StepIndex + 1;
        ChatResponse response;
        try
        {
            response = await _client.GetResponseAsync(episode.Messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelEndpointException e)
        {
            episode.Trace.ModelCalls.Add(new ModelCall(turn, beforeStep, "error: " + e.Failure.Describe(), _time.GetElapsedTime(started).TotalMilliseconds, e.Attempts, null, null));
            throw;
        }

        episode.Trace.ModelCalls.Add(new ModelCall(
            turn,
            beforeStep,
            ModelReplies.Raw(response),
            _time.GetElapsedTime(started).TotalMilliseconds,
            RetryingChatClient.AttemptsOf(response),
            Tokens(response.Usage?.InputTokenCount),
            Tokens(response.Usage?.OutputTokenCount)));
        var reply = ModelReplies.Read(response);
        episode.Add(ModelReplies.AssistantMessage(response, reply), new TracedMessage("assistant", reply.Text ?? "", reply.ToolCalls.Count == 0 ? null : ToolCallsJson(reply.ToolCalls)));
        return reply;
    }

    /// <returns>Whether the next turn may only submit.</returns>
    private static async Task<bool> ExecuteAsync(Episode episode, ModelReply reply, Realization.Execute execute, CancellationToken cancellationToken)
    {
        var wire = execute.Action.ToJson();
        var step = await episode.Port.StepAsync(wire, cancellationToken).ConfigureAwait(false);
        episode.Step = step;
        episode.Trace.Actions.Add(new TracedAction(step.StepIndex, wire.ToJsonString(), step.Refusal));
        var regulation = episode.Harness.AfterStep(execute.Action, step);
        var result = step.Refusal is null
            ? ObservationText(step.Observation)
            : $"The environment refused this action without spending a step: {step.Refusal}";
        if (regulation.Notes.Count > 0)
        {
            result += "\n\n" + string.Join("\n", regulation.Notes);
        }

        Answer(episode, reply, execute.CallId, result);
        return regulation.ForceSubmit;
    }

    /// <summary>
    /// Answers every tool call of the reply (chat APIs require each call to be followed by its
    /// result): the call <paramref name="callId"/> with <paramref name="text"/>, the others with
    /// <see cref="NotRunMessage"/>; without such a call, <paramref name="text"/> goes as a user message.
    /// </summary>
    private static void Answer(Episode episode, ModelReply reply, string? callId, string text)
    {
        var answered = false;
        foreach (var call in reply.ToolCalls.Where(c => c.Id is not null))
        {
            var isIt = !answered && call.Id == callId;
            answered |= isIt;
            var content = isIt ? text : NotRunMessage;
            episode.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.Id!, content)]), new TracedMessage("tool", content, ToolCallId: call.Id));
        }

        if (!answered)
        {
            episode.Add(new ChatMessage(ChatRole.User, text));
        }
    }

    /// <summary>
    /// What a turn offers: every tool, the model choosing; or, when the harness forces a
    /// submission (h4: the budget is spent), only the submit tools with a tool call required.
    /// </summary>
    internal static ChatOptions TurnOptions(IReadOnlyList<AITool> tools, bool forceSubmit)
    {
        var submitTools = tools.Where(t => IsSubmitTool(t.Name)).ToList();
        return forceSubmit && submitTools.Count > 0
            ? new ChatOptions { Tools = submitTools, ToolMode = ChatToolMode.RequireAny }
            : new ChatOptions { Tools = [.. tools], ToolMode = ChatToolMode.Auto };
    }

    /// <summary>The harness's tools as function declarations with their JSON Schemas.</summary>
    internal static IReadOnlyList<AITool> Declarations(IReadOnlyList<ToolDescriptor> tools) =>
        [.. tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, JsonSerializer.SerializeToElement(t.InputSchema, CoreJsonContext.Default.JsonObject)))];

    /// <summary>
    /// The tools a forced submission offers: <c>submit_answer</c> and a suite's own submit tools
    /// (the gauntlet's <c>submit_code</c>), the ones that end an episode by name.
    /// </summary>
    public static bool IsSubmitTool(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith("submit", StringComparison.Ordinal);
    }

    private static string FirstPrompt(TaskBrief task, JsonObject reset)
    {
        var shown = (JsonObject)reset.DeepClone();
        shown.Remove("tools");
        return $"""
            Task {task.TaskId} ({task.Tier}): {task.Title}
            The episode has started. What the environment showed (JSON; its tool list is offered to you as tools):
            {Cap(shown.ToJsonString(ModelText))}
            """;
    }

    /// <summary>An observation as the model reads it: compact JSON, cut at <see cref="MaxObservationChars"/> with a note saying how much was left out.</summary>
    public static string ObservationText(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return Cap(observation.ToJsonString(ModelText));
    }

    private static string Cap(string text) => text.Length <= MaxObservationChars
        ? text
        : text[..MaxObservationChars] + string.Create(CultureInfo.InvariantCulture, $"\n[cut by the agent: the observation has {text.Length} characters; only the first {MaxObservationChars} are shown]");

    private static string ToolCallsJson(IReadOnlyList<ModelToolCall> calls) =>
        new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["name"] = c.Name, ["arguments"] = c.ArgumentsText })]).ToJsonString(ModelText);

    private static int? Tokens(long? count) => count is { } n ? (int)Math.Min(n, int.MaxValue) : null;

    /// <summary>One episode's state while it is played.</summary>
    private sealed class Episode(IEnvironmentPort port, TaskBrief task, EpisodeHarness harness)
    {
        public IEnvironmentPort Port { get; } = port;

        public TaskBrief Task { get; } = task;

        public EpisodeHarness Harness { get; } = harness;

        public AgentStep Step { get; set; } = port.First;

        public List<ChatMessage> Messages { get; } = [];

        public AgentEpisodeTrace Trace { get; } = new();

        public void Add(ChatMessage message) => Add(message, new TracedMessage(message.Role.Value, message.Text));

        public void Add(ChatMessage message, TracedMessage traced)
        {
            Messages.Add(message);
            Trace.Conversation.Add(traced);
        }
    }
}
