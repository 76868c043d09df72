using System.Text.Json;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>No tool, observation or state reveals the answer key or a verdict while the episode runs.</summary>
public sealed class AnswerKeyLeakTests
{
    private static readonly string[] Forbidden =
    [
        "\"accurate\"", "claim_accurate", "is_accurate", "verdict", "answer_key", "\"expected\"", "correct_answer", "denser_country",
        "\"score\"", "\"outcome\"", "fault_injected", "fault_mode", "inaccurate", "the claim is",
    ];

    public static TheoryData<string> Scenarios() => [.. ScenarioCatalog.All.Select(s => s.Id)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void EveryTool_ManySeeds_NoKeyOrVerdictInOutput(string scenarioId)
    {
        foreach (var seed in new long[] { 1, 17, 4242 })
        {
            var instance = Instance(scenarioId, seed);
            var (session, reset) = Start(scenarioId, seed);
            AssertClean(reset.Observation.ToJsonString(), instance.Question);
            var steps = RunAll(scenarioId, seed, Battery(instance));
            // The battery is longer than the step limit: steps that end an episode may carry the grade.
            foreach (var step in steps.Where(s => !s.Done))
            {
                Assert.Null(step.Grade);
                AssertClean(JsonSerializer.Serialize(step.Observation), instance.Question);
            }

            AssertClean(session.State.ToJsonString(), instance.Question);
        }
    }

    private static void AssertClean(string text, string question)
    {
        // The question itself may say "accurate"; everything else may not carry key names or verdicts.
        var scrubbed = text.Replace(JsonSerializer.Serialize(question), "\"\"", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var word in Forbidden)
        {
            Assert.DoesNotContain(word, scrubbed, StringComparison.Ordinal);
        }
    }
}
