using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// A suite of a few lines for tests that must not depend on the tools suite: two scenarios, and
/// any action ends the episode, graded correct when it says "done".
/// </summary>
/// <param name="agentNames">Its reference agents; each sends "done".</param>
public sealed class ToySuite(string name, params string[] agentNames) : ISuite
{
    public string Name => name;

    public string Description => "A test suite: say done.";

    public IReadOnlyList<TaskDescriptor> Tasks { get; } = [new("say", "Say done", "Send any action whose answer is done.", 3)];

    public IReadOnlyList<string> Tiers { get; } = ["easy"];

    public IReadOnlyList<ScenarioDescriptor> Scenarios { get; } =
        [new("T01", "say", "easy", "say", "Say done", 1), new("T02", "say", "easy", "say", "Say done again", 1)];

    public IReadOnlyList<ToolDescriptor> Tools => [];

    public IReadOnlyList<FaultKind> FaultKinds => [];

    public SuiteSchemas Schemas { get; } = new(new JsonObject { ["type"] = "object" }, new JsonObject { ["type"] = "object" }, new JsonObject { ["type"] = "object" });

    public IReadOnlyList<ReferenceAgent> ReferenceAgents =>
        [.. agentNames.Select(agent => new ReferenceAgent(agent, () => new SayDoneAgent(agent)))];

    public IEpisodeSession CreateSession() => new Session(this);

    private sealed class SayDoneAgent(string name) : IAgent
    {
        public string Name => name;

        public JsonObject NextAction(JsonObject observation) => new() { ["type"] = "submit_answer", ["answer"] = "done" };
    }

    private sealed class Session(ToySuite suite) : IEpisodeSession
    {
        private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public EpisodeInfo? Episode { get; private set; }

        public JsonObject State => new() { ["episode_id"] = Episode?.EpisodeId };

        public EnvironmentResult<StepResult> Reset(ResetOptions options)
        {
            var scenario = suite.Scenarios.FirstOrDefault(s => s.Id == (options.ScenarioId ?? "T01"));
            if (scenario is null)
            {
                return EnvironmentResult<StepResult>.Invalid(new ValidationError("scenario_id", "unknown scenario", [.. suite.Scenarios.Select(s => s.Id)]));
            }

            Episode = new EpisodeInfo(options.EpisodeId ?? "toy", suite.Name, scenario.TaskId, scenario.Tier, scenario.Id, scenario.Version, options.Seed, 3, options.Mode);
            return EnvironmentResult<StepResult>.Success(new StepResult(
                new JsonObject { ["question"] = "Say done." }, 0, false, new StepRecord(0, null, null, null, [], [], Start, null)));
        }

        public ValueTask<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken = default)
        {
            var answer = action.TryGetProperty("answer", out var a) ? a.ToString() : "";
            var score = answer == "done" ? 1.0 : 0.0;
            var grade = new EpisodeGrade(score, score > 0 ? "correct" : "wrong", [], [], new JsonObject { ["answer"] = "done" });
            var record = new StepRecord(1, JsonNode.Parse(action.GetRawText())!.AsObject(), null, answer, [], [], Start, null);
            return ValueTask.FromResult(EnvironmentResult<StepResult>.Success(new StepResult(new JsonObject { ["score"] = score }, score, true, record, grade)));
        }

        public void Dispose()
        {
        }
    }
}
