using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Scenarios;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;

namespace ChaosLab.Web.Model;

/// <summary>One action of a playground episode and what came back.</summary>
/// <param name="Result">The tool's response (or the whole observation when it has none), indented.</param>
public sealed record PlaygroundTurn(int Step, string Title, string? Arguments, string? Status, string Result, string Observation, double Reward, string? Error, int? ElapsedMs);

/// <summary>
/// A person playing one episode by hand: choose a scenario and seed, call tools through forms
/// generated from their schemas, submit an answer, see the grade. The episode is started through
/// the same gateway as every transport (client kind <c>ui</c>, agent <c>human</c>), so it is
/// recorded and counted against capacity like any other. Published scenarios of the studio are
/// offered beside the built-in ones once <see cref="LoadPublishedAsync"/> has read them.
/// </summary>
public sealed class PlaygroundViewModel(EnvironmentGateway gateway, ScenarioLibrary? library = null) : IAsyncDisposable
{
    public const string Agent = AgentRegistry.Human;

    /// <summary>The tool that ends the episode; it gets its own answer form instead of a generated one.</summary>
    public const string SubmitAnswerTool = "submit_answer";

    private readonly List<PlaygroundTurn> _turns = [];
    private HostedSession? _session;
    private string? _suiteName = gateway.Catalog.Suites.Count > 0 ? gateway.Catalog.Suites[0].Name : null;
    private string? _taskId;
    private string? _tier;

    // Stored scenarios whose ids no built-in has (a stored revision of a built-in id is already
    // listed under that id), by suite.
    private ILookup<string, ScenarioDescriptor> _published = Array.Empty<ScenarioDescriptor>().ToLookup(_ => "");

    public IReadOnlyList<ISuite> Suites => gateway.Catalog.Suites;

    public string? SuiteName
    {
        get => _suiteName;
        set
        {
            _suiteName = value;
            _taskId = null;
            _tier = null;
            ScenarioId = null;
        }
    }

    public ISuite? Suite => _suiteName is null ? null : gateway.Catalog.Find(_suiteName);

    /// <summary>Null: the suite's default.</summary>
    public string? TaskId
    {
        get => _taskId;
        set
        {
            _taskId = NullIfEmpty(value);
            DropScenarioIfFilteredOut();
        }
    }

    /// <summary>Null: any tier of the task.</summary>
    public string? Tier
    {
        get => _tier;
        set
        {
            _tier = NullIfEmpty(value);
            DropScenarioIfFilteredOut();
        }
    }

    /// <summary>Null: the first scenario matching the task and tier.</summary>
    public string? ScenarioId { get; set; }

    /// <summary>Empty: a random seed is drawn at start (and shown, so the episode can be replayed).</summary>
    public string SeedText { get; set; } = "";

    public IReadOnlyList<TaskDescriptor> Tasks => Suite?.Tasks ?? [];

    public IReadOnlyList<string> Tiers => Suite?.Tiers ?? [];

    public IReadOnlyList<ScenarioDescriptor> Scenarios =>
        Suite is null ? [] : [.. Suite.Scenarios.Concat(_published[Suite.Name]).Where(s => (_taskId is null || s.TaskId == _taskId) && (_tier is null || s.Tier == _tier))];

    /// <summary>Reads the published scenarios from the store, so they can be chosen like built-in ones.</summary>
    public async Task LoadPublishedAsync(CancellationToken cancellationToken = default)
    {
        if (library is null)
        {
            return;
        }

        var documents = await library.ListAsync(null, cancellationToken);
        _published = documents
            .Where(d => d.Source == ScenarioSource.Stored && gateway.Catalog.Find(d.Suite) is { } suite && suite.Scenarios.All(s => !string.Equals(s.Id, d.Id, StringComparison.OrdinalIgnoreCase)))
            .ToLookup(d => gateway.Catalog.Find(d.Suite)!.Name, d => new ScenarioDescriptor(d.Id, d.TaskId, d.Tier, d.Family, d.Title, d.Version), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Chooses a scenario by id in whichever suite has it (the studio's "play" link); false when none does.</summary>
    public bool ChooseScenario(string id)
    {
        foreach (var suite in Suites)
        {
            if (suite.Scenarios.Concat(_published[suite.Name]).FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase)) is { } scenario)
            {
                SuiteName = suite.Name;
                ScenarioId = scenario.Id;
                return true;
            }
        }

        return false;
    }

    public string? SetupError { get; private set; }

    public bool Busy { get; private set; }

    public string? EpisodeId { get; private set; }

    public EpisodeInfo? Episode { get; private set; }

    public bool Started => Episode is not null;

    public bool Running => Started && !Done;

    public bool Done { get; private set; }

    public string? Prompt { get; private set; }

    public string? TaskTitle { get; private set; }

    public string? Guidance { get; private set; }

    public int? StepsRemaining { get; private set; }

    public int? MaxSteps { get; private set; }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<PlaygroundTurn> Turns => _turns;

    public EpisodeGrade? Grade { get; private set; }

    /// <summary>Set when the episode ended without a grade (e.g. the step limit).</summary>
    public string? Outcome { get; private set; }

    public double? Score { get; private set; }

    /// <summary>The tools to pick from, by category, without <see cref="SubmitAnswerTool"/>.</summary>
    public IReadOnlyList<IGrouping<string, ToolDescriptor>> ToolGroups =>
        Suite is null ? [] : [.. Suite.Tools.Where(t => t.Name != SubmitAnswerTool).GroupBy(t => t.Category, StringComparer.Ordinal)];

    public ToolDescriptor? Tool { get; private set; }

    public ToolForm? Form { get; private set; }

    /// <summary>Why the last action was refused (it did not spend a step).</summary>
    public string? ActionError { get; private set; }

    public string AnswerText { get; set; } = "";

    public string ReasoningText { get; set; } = "";

    public string? AnswerError { get; private set; }

    public void RandomizeSeed() => SeedText = RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture);

    public void SelectTool(string? name)
    {
        Tool = Suite?.Tools.FirstOrDefault(t => t.Name == name);
        Form = Tool is null ? null : ToolForm.FromSchema(Tool.InputSchema);
        ActionError = null;
    }

    /// <summary>Starts an episode with the chosen options; a running one is abandoned first.</summary>
    /// <returns>False with <see cref="SetupError"/> set when it could not start.</returns>
    public async Task<bool> StartAsync(CancellationToken cancellationToken = default)
    {
        SetupError = null;
        if (Suite is not { } suite)
        {
            SetupError = "Choose a suite first.";
            return false;
        }

        long seed;
        if (string.IsNullOrWhiteSpace(SeedText))
        {
            RandomizeSeed();
        }

        if (!long.TryParse(SeedText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            SetupError = "The seed must be a whole number, 0 or more (or leave it empty for a random one).";
            return false;
        }

        Busy = true;
        try
        {
            await CloseSessionAsync("a new playground episode was started");
            var options = new ResetOptions { TaskId = _taskId, Tier = _tier, ScenarioId = NullIfEmpty(ScenarioId), Seed = seed };
            EpisodeLaunch launch;
            try
            {
                launch = await gateway.StartTrustedAsync(new ResetRequest(suite.Name, options, Agent), ClientKinds.Ui, cancellationToken);
            }
#pragma warning disable CA1031 // Whatever the suite throws is shown to the user, not turned into a broken page.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SetupError = $"The {suite.Name} suite could not open a session: {ex.Message}";
                return false;
            }

            if (launch.ServerFull)
            {
                SetupError = launch.Message + " Please try again in a minute.";
                return false;
            }

            if (launch is not { Started: true, Session: { } session })
            {
                SetupError = "The episode could not start: " + Describe(launch.Reset.Errors);
                return false;
            }

            _session = session;
            ClearEpisode();
            Episode = session.Episode;
            EpisodeId = Episode?.EpisodeId;
            ReadStatus(launch.Reset.Value!.Observation);
            SelectTool(ToolGroups.SelectMany(g => g).FirstOrDefault()?.Name);
            return true;
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>Calls the selected tool with the form's values; invalid values send nothing.</summary>
    public async Task<bool> CallToolAsync(CancellationToken cancellationToken = default)
    {
        ActionError = null;
        if (Tool is null || Form is null)
        {
            ActionError = "Pick a tool first.";
            return false;
        }

        if (!Form.TryBuildArguments(out var arguments))
        {
            ActionError = "Fix the highlighted fields; nothing was sent.";
            return false;
        }

        var action = new AgentAction.CallTool(Tool.Name, arguments).ToJson();
        return await StepAsync(action, Tool.Name, JsonText.Pretty(arguments), cancellationToken);
    }

    /// <summary>
    /// Submits <see cref="AnswerText"/>: text that starts with <c>{</c> must be a JSON object (one value
    /// per thing asked); anything else is sent as plain text.
    /// </summary>
    public async Task<bool> SubmitAnswerAsync(CancellationToken cancellationToken = default)
    {
        AnswerError = null;
        var text = AnswerText.Trim();
        if (text.Length == 0)
        {
            AnswerError = "Write an answer first.";
            return false;
        }

        JsonNode answer;
        if (text.StartsWith('{'))
        {
            if (!StrictJson.TryParseNode(text, out var parsed, out var parseError) || parsed is not JsonObject answerObject)
            {
                AnswerError = $"This looks like JSON but is not a valid object ({parseError ?? "not an object"}). Fix it, or write the answer as plain text.";
                return false;
            }

            answer = answerObject;
        }
        else
        {
            answer = JsonValue.Create(text);
        }

        var action = new AgentAction.Submit(answer, string.IsNullOrWhiteSpace(ReasoningText) ? null : ReasoningText.Trim()).ToJson();

        return await StepAsync(action, "answer", JsonText.Pretty(answer), cancellationToken);
    }

    /// <summary>Ends the session; an unfinished episode is recorded as abandoned.</summary>
    public async ValueTask DisposeAsync() => await CloseSessionAsync("playground closed");

    private async Task<bool> StepAsync(JsonObject action, string title, string arguments, CancellationToken cancellationToken)
    {
        if (_session is null || !Running)
        {
            ActionError = "Start an episode first.";
            return false;
        }

        Busy = true;
        try
        {
            using var document = JsonDocument.Parse(action.ToJsonString());
            var result = await _session.StepAsync(document.RootElement, cancellationToken);
            if (!result.Succeeded)
            {
                var message = "The action was refused: " + Describe(result.Errors);
                if (title == "answer")
                {
                    AnswerError = message;
                }
                else
                {
                    ActionError = message;
                }

                return false;
            }

            var step = result.Value!;
            var observation = step.Observation;
            _turns.Insert(0, new PlaygroundTurn(
                step.Record.Index,
                title,
                arguments,
                observation["status"]?.ToString(),
                observation["result"] is { } body ? JsonText.Pretty(body) : JsonText.Pretty(WithoutTools(observation)),
                JsonText.Pretty(WithoutTools(observation)),
                step.Reward,
                step.Record.Error,
                observation["elapsed_ms"] is JsonValue elapsed && int.TryParse(elapsed.ToJsonString(), CultureInfo.InvariantCulture, out var ms) ? ms : null));
            ReadStatus(observation);
            if (step.Done)
            {
                Done = true;
                Grade = step.Grade;
                Score = step.Grade?.Score ?? (observation["score"] is JsonValue s && double.TryParse(s.ToJsonString(), CultureInfo.InvariantCulture, out var score) ? score : null);
                Outcome = step.Grade?.Outcome ?? observation["outcome"]?.ToString();
                await CloseSessionAsync("episode finished");
            }

            return true;
        }
        finally
        {
            Busy = false;
        }
    }

    private void ReadStatus(JsonObject observation)
    {
        Prompt = Episode?.Prompt ?? Prompt;
        TaskTitle = observation["task_title"]?.ToString() ?? TaskTitle;
        Guidance = observation["guidance"]?.ToString() ?? Guidance;
        StepsRemaining = ReadInt(observation["steps_remaining"]) ?? StepsRemaining;
        MaxSteps = ReadInt(observation["max_steps"]) ?? MaxSteps;
    }

    private void ClearEpisode()
    {
        _turns.Clear();
        Done = false;
        Grade = null;
        Outcome = null;
        Score = null;
        Prompt = TaskTitle = Guidance = null;
        StepsRemaining = MaxSteps = null;
        AnswerText = ReasoningText = "";
        AnswerError = ActionError = null;
    }

    private async Task CloseSessionAsync(string reason)
    {
        if (_session is { } session)
        {
            _session = null;
            await gateway.Sessions.CloseAsync(session, reason);
        }
    }

    private void DropScenarioIfFilteredOut()
    {
        if (ScenarioId is not null && Scenarios.All(s => s.Id != ScenarioId))
        {
            ScenarioId = null;
        }
    }

    private static JsonObject WithoutTools(JsonObject observation)
    {
        var copy = observation.DeepClone().AsObject();
        copy.Remove("tools");
        return copy;
    }

    private static int? ReadInt(JsonNode? node) =>
        node is JsonValue value && int.TryParse(value.ToJsonString(), CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Describe(IReadOnlyList<ValidationError> errors) =>
        string.Join("; ", errors.Select(e => (e.Path.Length > 0 ? e.Path + ": " : "") + e.Message
            + (e.ValidValues is { Count: > 0 and <= 12 } valid ? $" (valid: {string.Join(", ", valid)})" : "")));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
