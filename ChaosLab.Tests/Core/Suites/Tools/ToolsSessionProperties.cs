using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;
using CsCheck;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>
/// Properties of whole tools-suite episodes, driven without the web host: the transcript is a
/// function of (scenario, seed, actions), and the fault trace per call does not depend on the order
/// the calls are made in. The example tests beside them (<see cref="DeterminismTests"/>) pin the
/// same rules for a few fixed runs.
/// </summary>
public sealed class ToolsSessionProperties
{
    // Sizes kept modest so each property runs in about a second (every iteration plays two episodes).
    private const int Iterations = 40;

    private static readonly string[] ScenarioIds = [.. ScenarioCatalog.All.Select(s => s.Id)];

    private static readonly string[] ArgumentNames = ["query", "entity", "sql", "url", "expression", "path", "key", "value", "text", "data", "timezone"];

    // Envelopes an agent gets wrong: refused before a step (no type, unknown type, not an object),
    // or spent as a failed step (unknown tool, arguments of the wrong type or shape).
    private static readonly string[] Malformed =
    [
        "{}",
        "[1,2]",
        "\"list_tools\"",
        "{\"type\":\"fly\"}",
        "{\"type\":\"call_tool\"}",
        "{\"type\":\"submit_answer\"}",
        "{\"type\":\"call_tool\",\"tool_name\":\"no_such_tool\",\"arguments\":{}}",
        "{\"type\":\"call_tool\",\"tool_name\":\"calculator\",\"arguments\":\"1+1\"}",
        "{\"type\":\"call_tool\",\"tool_name\":\"calculator\",\"arguments\":{\"expression\":42}}",
        "{\"type\":\"call_tool\",\"tool_name\":\"database_query\",\"arguments\":{\"sql\":\"DROP TABLE countries\"}}",
        "{\"type\":\"call_tool\",\"tool_name\":\"fetch_url\",\"arguments\":{\"url\":\"file:///etc/passwd\",\"extra\":true}}",
    ];

    private static readonly string[] Answers = ["The answer is 42.", "12.3 million", "{\"answer\": \"yes\"}", "", "no idea", "2024-03-05"];

    /// <summary>What to do at one step, kept apart from the episode so it shrinks and prints as text.</summary>
    private sealed record PlannedAction(string Description, Func<ScenarioInstance, JsonElement> Build)
    {
        public override string ToString() => Description;
    }

    private static readonly Gen<JsonNode> GenArgumentValue = Gen.OneOf<JsonNode>(
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => (JsonNode)JsonValue.Create(s)),
        Gen.Int[-1000, 1000].Select(i => (JsonNode)JsonValue.Create(i)),
        Gen.Double[-1e6, 1e6].Select(d => (JsonNode)JsonValue.Create(d)),
        Gen.Bool.Select(b => (JsonNode)JsonValue.Create(b)));

    private static readonly Gen<PlannedAction> GenAction = Gen.Frequency(
        (6, Gen.Int[0, 31].Select(i => new PlannedAction("battery#" + i.ToString(CultureInfo.InvariantCulture), instance => Battery(instance)[i]))),
        (3, (from tool in Gen.OneOf(ToolRegistry.Names.ToArray())
             from arguments in Gen.Dictionary(Gen.OneOf(ArgumentNames), GenArgumentValue)[0, 3]
             let json = new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = new JsonObject(arguments.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) }.ToJsonString()
             select new PlannedAction(json, _ => Json(json)))),
        (2, Gen.OneOf(Malformed).Select(json => new PlannedAction(json, _ => Json(json)))),
        (1, Gen.Const(new PlannedAction("list_tools", _ => Json("{\"type\":\"list_tools\"}")))),
        (1, Gen.OneOf(Answers).Select(answer => new PlannedAction("submit " + answer, _ => Submit(answer)))));

    [Fact]
    public void Episode_AnySeedAndActions_TwoFreshSessionsGiveByteIdenticalTranscripts()
    {
        var gen = Gen.Select(Gen.OneOf(ScenarioIds), Gen.Long, GenAction.Array[1, 12]);

        gen.Sample((scenario, seed, actions) =>
        {
            var first = Transcript(scenario, seed, actions);
            var second = Transcript(scenario, seed, actions);
            Assert.True(first.AsSpan().SequenceEqual(second), $"transcripts differ at byte {first.AsSpan().CommonPrefixLength(second)}");
        }, iter: Iterations, print: t => $"{t.Item1} seed={t.Item2} actions=[{string.Join(", ", t.Item3.Select(a => a.Description))}]");
    }

    [Fact]
    public void Episode_SameCallsInAnyTwoOrders_SameFaultDecisionPerCallAndOccurrence()
    {
        // Each battery call 1-3 times, so retries (later occurrences) are in the set.
        var gen =
            from scenario in Gen.OneOf(ScenarioIds)
            from seed in Gen.Long
            from calls in Gen.Select(Gen.Int[0, 31], Gen.Int[1, 3]).Array[1, 8]
            let multiset = calls.SelectMany(c => Enumerable.Repeat(c.Item1, c.Item2)).ToArray()
            from first in Gen.Shuffle(multiset)
            from second in Gen.Shuffle(multiset.ToArray())
            select (scenario, seed, first, second);

        gen.Sample((scenario, seed, first, second) =>
        {
            var battery = Battery(Instance(scenario, seed));
            var inFirstOrder = FaultTrace(scenario, seed, [.. first.Select(i => battery[i])]);
            var inSecondOrder = FaultTrace(scenario, seed, [.. second.Select(i => battery[i])]);
            Assert.Equal(inFirstOrder, inSecondOrder);
        }, iter: Iterations, print: t => $"{t.Item1} seed={t.Item2} orders=[{string.Join(",", t.Item3)}] [{string.Join(",", t.Item4)}]");
    }

    /// <summary>Every step's observation, reward and end flag, or the errors of a refused action, as bytes.</summary>
    private static byte[] Transcript(string scenarioId, long seed, PlannedAction[] actions)
    {
        var (session, reset) = Start(scenarioId, seed);
        var instance = Instance(scenarioId, seed);
        using var buffer = new MemoryStream();
        Append(buffer, reset);
        foreach (var action in actions)
        {
            var result = TryStep(session, action.Build(instance));
            if (result.Succeeded)
            {
                Append(buffer, result.Value!);
            }
            else
            {
                buffer.Write(Encoding.UTF8.GetBytes(string.Join("\n", result.Errors.Select(e => "refused " + e.Path + ": " + e.Message)) + "\n"));
            }
        }

        return buffer.ToArray();
    }

    private static void Append(MemoryStream buffer, StepResult step)
    {
        buffer.Write(JsonSerializer.SerializeToUtf8Bytes(step.Observation));
        buffer.Write(Encoding.UTF8.GetBytes($"\nreward={step.Reward.ToString("R", CultureInfo.InvariantCulture)} done={step.Done}\n"));
    }

    /// <summary>
    /// The pure decisions per (target, canonical arguments, occurrence, trigger), all calls in one
    /// episode (the step limit raised so none restarts and resets the occurrence counts).
    /// Retry-After windows are left out: they depend on the order by design.
    /// </summary>
    private static SortedDictionary<string, string> FaultTrace(string scenarioId, long seed, List<JsonElement> actions)
    {
        var session = (ToolsSession)Suite.CreateSession();
        Assert.True(session.Start(ScenarioCatalog.Find(scenarioId)! with { StepLimit = actions.Count + 1 }, seed, "order").Succeeded);
        var trace = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            foreach (var d in Step(session, action).Record.Faults.Where(f => f.Trigger != TransportFaults.RetryAfterTrigger))
            {
                trace[$"{d.Inputs.Target}|{d.Inputs.CanonicalArguments}|{d.Inputs.Occurrence}|{d.Trigger}"] = $"{d.Kind}:{d.Fired}:{d.Inputs.Roll.ToString("R", CultureInfo.InvariantCulture)}";
            }
        }

        return trace;
    }
}
