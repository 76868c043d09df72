using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// A suite of a few lines, for tests that must not depend on the tools suite, and the proof that
/// a new suite needs nothing in the host: say the word. One tool (<c>peek</c>) shows the word,
/// through a fault kind of the suite's own (<see cref="WordSwap"/>, on scenario T02) and the
/// shared transport faults; a submission of "done" is correct. Built on the shared session base.
/// </summary>
/// <param name="agentNames">Its reference agents; each submits "done" at once.</param>
public sealed class ToySuite(string name, params string[] agentNames) : ISuite
{
    public const string Word = "done";
    public const string Peek = "peek";

    /// <summary>The toy suite's own fault: the word comes back wrong.</summary>
    public static FaultKind WordSwap { get; } = new("word_swap", FaultFamily.Data, "the word comes back as another word");

    private static readonly ToolDescriptor PeekTool =
        new(Peek, "Shows the word to say.", "retrieval", new JsonObject { ["type"] = "object", ["properties"] = new JsonObject(), ["additionalProperties"] = false });

    private static readonly ToolCatalog Catalog = new([PeekTool]);

    public string Name => name;

    public string Description => "A test suite: say the word.";

    public IReadOnlyList<TaskDescriptor> Tasks { get; } = [new("say", "Say the word", "Peek at the word if you like, then submit it.", 3)];

    public IReadOnlyList<string> Tiers { get; } = ["easy", "hard"];

    public IReadOnlyList<ScenarioDescriptor> Scenarios { get; } =
        [new("T01", "say", "easy", "say", "Say the word", 1), new("T02", "say", "hard", "say", "Say the word through a swap", 1)];

    public IReadOnlyList<ToolDescriptor> Tools => [PeekTool];

    public IReadOnlyList<FaultKind> FaultKinds { get; } = [WordSwap, .. TransportFaults.All];

    public SuiteSchemas Schemas { get; } = new(AgentAction.Schema(), new JsonObject { ["type"] = "object" }, new JsonObject { ["type"] = "object" });

    public IReadOnlyList<ReferenceAgent> ReferenceAgents =>
        [.. agentNames.Select(agent => new ReferenceAgent(agent, () => new SayDoneAgent(agent)))];

    public IReadOnlyList<ReferenceAgent> ExploitAgents => [];

    public IEpisodeSession CreateSession() => new Session(this);

    private sealed class SayDoneAgent(string name) : IAgent
    {
        private static readonly ToolDescriptor PeekTool =
        new(Peek, "Shows the word to say.", "retrieval", new JsonObject { ["type"] = "object", ["properties"] = new JsonObject(), ["additionalProperties"] = false });

    private static readonly ToolCatalog Catalog = new([PeekTool]);

    public string Name => name;

        public JsonObject NextAction(JsonObject observation) => new AgentAction.Submit(JsonValue.Create(Word), null).ToJson();
    }

    private sealed class Session(ToySuite suite) : EpisodeSession<JsonObject>(suite.Name, Catalog)
    {
        // On T02 the first peek always swaps the word: a fault whose record the tests can find.
        private static readonly FaultPlan Swapping = new(0, [], [new FaultRule(WordSwap, Peek, new FaultTrigger(1, Occurrences: [0]), "the first peek is swapped")]);

        private readonly Dictionary<string, int> _peeks = [];

        protected override double StepRewardBound => 0.1;

        public override EnvironmentResult<StepResult> Reset(ResetOptions options)
        {
            var scenario = suite.Scenarios.FirstOrDefault(s => s.Id == (options.ScenarioId ?? "T01"));
            if (scenario is null)
            {
                return EnvironmentResult<StepResult>.Invalid(new ValidationError("scenario_id", "unknown scenario", [.. suite.Scenarios.Select(s => s.Id)]));
            }

            _peeks.Clear();
            BeginEpisode(new EpisodeInfo(options.EpisodeId ?? Guid.NewGuid().ToString("N"), suite.Name, scenario.TaskId, scenario.Tier, scenario.Id, scenario.Version, options.Seed, 3, options.Mode, "Say the word."));
            return EnvironmentResult<StepResult>.Success(FirstStep(null));
        }

        protected override ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken) => ValueTask.FromResult(action switch
        {
            AgentAction.Submit submit => new StepOutcome(null, "submitted", null, null, [], [], null, submit.Text),
            AgentAction.CallTool => PeekAtTheWord(),
            _ => new StepOutcome(new JsonObject { ["tools"] = new JsonArray(Peek) }, "ok", null, null, [], [], null),
        });

        protected override IReadOnlyList<RewardComponent> RefusalRewards(AgentAction.CallTool toolCall, ToolCallRefusal refusal) =>
            [new RewardComponent("invalid_call", -0.02, refusal.Reason)];

        protected override EpisodeGrade GradeEpisode(string? submission, bool stepLimit)
        {
            var score = !stepLimit && submission == Word ? 1.0 : 0.0;
            return new EpisodeGrade(score, score > 0 ? "correct" : "wrong", score > 0, [new RewardComponent("correctness", score, "the word, or not")], [], AnswerKey: null);
        }

        protected override void AddObservationFields(JsonObject observation, JsonObject fields)
        {
            foreach (var (key, value) in fields)
            {
                observation[key] = value?.DeepClone();
            }
        }

        private StepOutcome PeekAtTheWord()
        {
            var occurrence = _peeks.GetValueOrDefault(Peek);
            _peeks[Peek] = occurrence + 1;
            var plan = Episode!.ScenarioId == "T02" ? Swapping : FaultPlan.None;
            var decisions = FaultDecider.Decide(plan, new FaultCall(Episode.Seed, Episode.ScenarioId, Peek, "{}", occurrence, [WordSwap]));
            var delivered = decisions.Any(d => d.Fired) ? "undone" : Word;
            return new StepOutcome(new JsonObject { ["word"] = delivered }, "ok", Word, delivered, decisions, [], null);
        }
    }
}
