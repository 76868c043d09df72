using System.Text.Json;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;
using YamlDotNet.Serialization;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>The plan is real YAML, the consumer really parses JSON, and the translator really converts one into the other.</summary>
public sealed class FormatTranslatorTests
{
    private static readonly MastInstance Instance = FaultCase.Of("format_mismatch").Instance;

    [Fact]
    public void Translator_ConvertsTheBlockYamlPlanIntoJsonThatParses()
    {
        var run = FirstRunWithBlockYaml(ResilienceConfig.Default with { FormatTranslator = true });

        var yaml = run.Messages.Single(m => m.From == "planner-1" && m.To == "translator");
        var json = run.Messages.Single(m => m.From == "translator" && m.To == "executor-1");
        Assert.Equal(("yaml", "json", "ok"), (yaml.Format, json.Format, json.Status));
        var plan = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(yaml.Body);
        using var document = JsonDocument.Parse(json.Body);
        Assert.Equal(plan["topic"], document.RootElement.GetProperty("topic").GetString());
        Assert.Equal(((List<object>)plan["steps"]).Cast<string>(), document.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void WithoutTranslator_TheConsumersRealJsonParserFailsOnBlockYaml()
    {
        var run = FirstRunWithBlockYaml(ResilienceConfig.Default);

        var plan = run.Messages.Single(m => m.From == "planner-1" && m.Type == "plan");
        Assert.Equal(("executor-1", "yaml", "error", "format_mismatch"), (plan.To, plan.Format, plan.Status, plan.Fault));
        var expected = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(plan.Body)).Message;
        var log = Assert.Single(run.Logs, l => l.Level == "error");
        Assert.StartsWith("executor-1: cannot parse input from planner-1 as json: '", log.Text, StringComparison.Ordinal);
        Assert.EndsWith(expected[expected.IndexOf("' is", StringComparison.Ordinal)..], log.Text, StringComparison.Ordinal);
        Assert.Equal("executor-1 failed: input unreadable", run.FailureReason);
    }

    [Fact]
    public void HealthyYamlProducer_SendsFlowYamlThatIsValidJson()
    {
        var runs = PipelineSimulator.RunMany(Instance, ResilienceConfig.Default, "formats", 40);

        var flow = runs.SelectMany(r => r.Messages).Where(m => m.From == "planner-1" && m.Type == "plan" && m.Status == "ok").ToList();
        Assert.NotEmpty(flow);
        Assert.All(flow, m =>
        {
            Assert.Equal("yaml", m.Format);
            using var document = JsonDocument.Parse(m.Body);
            Assert.Equal(Instance.Task.Items, document.RootElement.GetProperty("steps").GetArrayLength());
        });
    }

    [Fact]
    public void ExecutorActions_AreJsonWithReasoningAndAction()
    {
        var run = PipelineSimulator.RunMany(FaultCase.Of("reasoning_action_mismatch").Instance, ResilienceConfig.Default, "formats", 20).First(r => !r.Passed);

        var actions = run.Messages.Where(m => m.Type == "action").ToList();
        Assert.Equal(5, actions.Count);
        Assert.All(actions, m =>
        {
            using var document = JsonDocument.Parse(m.Body);
            var matches = document.RootElement.GetProperty("reasoning").GetString()!.Contains(document.RootElement.GetProperty("action").GetString()!, StringComparison.Ordinal);
            Assert.Equal(m.Fault is null, matches);
        });
        Assert.Single(actions, m => m.Fault == "reasoning_action_mismatch");
    }

    private static TrialRun FirstRunWithBlockYaml(ResilienceConfig config) =>
        PipelineSimulator.RunMany(Instance, config, "formats", 20).First(r => r.Decisions.Any(d => d.Kind == "format_mismatch" && d.Fired));
}
