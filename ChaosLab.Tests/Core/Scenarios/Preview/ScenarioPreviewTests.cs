using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Scenarios.Preview;

public sealed class ScenarioPreviewTests
{
    private static readonly ScenarioPreview Preview = new([new ToolsScenarioFormat()]);

    private static ScenarioDocument Document(JsonObject content) => ScenarioDocument.From(Element(content), ScenarioSource.Stored);

    private static ScenarioDocument Stock(string id) => new ToolsScenarioFormat().BuiltIn.Single(d => d.Id == id);

    [Fact]
    public void Schedule_BuiltInScenario_ListsEveryReferenceAgentsCallsWithFaultsAndIsDeterministic()
    {
        var schedule = Preview.Schedule(Stock("W01"), 7);

        Assert.Equal(7, schedule.Seed);
        Assert.Contains(schedule.Rules, r => r.StartsWith("knowledge_base_lookup: timeout, always; args contain", StringComparison.Ordinal));
        Assert.Contains(schedule.Rules, r => r.StartsWith("any call a rule leaves clean: background fault with p=", StringComparison.Ordinal));
        Assert.Equal(["naive", "retrying", "resilient"], schedule.Calls.Select(c => c.Agent).Distinct());
        var timeout = Assert.Single(schedule.Calls, c => c.Agent == "naive" && c.Tool == "knowledge_base_lookup");
        Assert.Equal(("timeout", 1), (timeout.Fault, timeout.Attempt));
        Assert.Contains("designated bad retrieval path", timeout.Trigger, StringComparison.Ordinal);
        Assert.All(schedule.Calls.Where(c => c.Fault is null), c => Assert.Empty(c.Trigger));
        Assert.All(schedule.Calls.GroupBy(c => c.Agent), episode => Assert.Equal(episode.Select(c => c.Step).Order(), episode.Select(c => c.Step)));
        Assert.Equal(JsonSerializer.Serialize(schedule), JsonSerializer.Serialize(Preview.Schedule(Stock("W01"), 7)));
        Assert.NotEqual(JsonSerializer.Serialize(schedule), JsonSerializer.Serialize(Preview.Schedule(Stock("W01"), 8)));
    }

    [Fact]
    public void Schedule_RetriedCall_CountsAttempts()
    {
        var schedule = Preview.Schedule(Stock("W01"), 7);

        // The retrying agent repeats the call that timed out: its second attempt is the retry.
        var retried = schedule.Calls.Where(c => c.Agent == "retrying" && c.Tool == "knowledge_base_lookup").ToList();
        Assert.True(retried.Count >= 2, string.Join("; ", retried));
        Assert.Equal(Enumerable.Range(1, retried.Count), retried.Select(c => c.Attempt));
    }

    [Fact]
    public void Schedule_UnpublishedDocumentWhoseBadPathTimesOut_ShowsTheTimeout()
    {
        var draft = BuiltIn("B10");
        draft["id"] = "my-pop-1";
        draft["faults"] = new JsonObject
        {
            ["background_probability"] = 0,
            ["bad_paths"] = new JsonArray(new JsonObject { ["tool"] = "knowledge_base_lookup", ["kind"] = "timeout" }),
        };

        var schedule = Preview.Schedule(Document(draft), 3);

        Assert.Equal(["knowledge_base_lookup: timeout"], schedule.Rules.Where(r => r.Contains(':', StringComparison.Ordinal)).Select(r => r[..r.IndexOf(',', StringComparison.Ordinal)]));
        Assert.Contains("no background faults", schedule.Rules);
        Assert.NotEmpty(schedule.Calls);
        Assert.All(schedule.Calls, c => Assert.Equal(c.Tool == "knowledge_base_lookup" ? "timeout" : null, c.Fault));
        Assert.Contains(schedule.Calls, c => c.Fault == "timeout");
    }

    [Fact]
    public void Schedule_MaxCalls_KeepsTheFirstCalls()
    {
        var all = Preview.Schedule(Stock("W07"), 5);

        var first = Preview.Schedule(Stock("W07"), 5, maxCalls: 3);

        Assert.True(all.Calls.Count > 3);
        Assert.Equal(JsonSerializer.Serialize(all.Calls.Take(3)), JsonSerializer.Serialize(first.Calls));
        Assert.Throws<ArgumentOutOfRangeException>(() => Preview.Schedule(Stock("W07"), 5, maxCalls: 0));
    }

    [Fact]
    public void Schedule_InvalidDocument_RefusedWithTheErrorsPath()
    {
        var draft = BuiltIn("W01");
        draft["question"] = "What is the {nope} of {country}?";

        var error = Assert.Throws<ArgumentException>(() => Preview.Schedule(Document(draft), 1));

        Assert.Contains("/question: {nope}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BuiltInScenario_ResilientAboveNaiveExploitsUnderCeilingProgressToTotal()
    {
        var reports = new List<PreviewProgress>();

        var result = await Preview.RunAsync(new PreviewRequest(Stock("W01")), new SynchronousProgress<PreviewProgress>(reports.Add));

        var suite = new ToolsSuite();
        Assert.Equal([.. suite.ReferenceAgents.Select(a => a.Name), .. suite.ExploitAgents.Select(a => a.Name)], result.Agents.Select(a => a.Agent));
        Assert.All(result.Agents, a => Assert.Equal((20, suite.ExploitAgents.Any(e => e.Name == a.Agent)), (a.Episodes, a.IsExploit)));
        var score = result.Agents.ToDictionary(a => a.Agent, a => a.MeanScore);
        Assert.True(score["resilient"] - score["naive"] >= ScenarioPreview.MinDiscrimination, $"resilient {score["resilient"]:0.00}, naive {score["naive"]:0.00}");
        Assert.All(result.Agents.Where(a => a.IsExploit), a => Assert.InRange(a.MeanScore, 0, ScenarioPreviewResult.ExploitCeiling));
        Assert.All(result.Agents, a => Assert.True(a.MinScore <= a.MeanScore && a.MeanScore <= a.MaxScore));
        Assert.Empty(result.Warnings);
        var total = result.Agents.Count * 20;
        Assert.Equal(Enumerable.Range(1, total), reports.Select(r => r.Completed));
        Assert.All(reports, r => Assert.Equal(total, r.Total));
    }

    [Fact]
    public async Task RunAsync_SameRequestTwice_SameResult()
    {
        var request = new PreviewRequest(Stock("B02"), FirstSeed: 40, Seeds: 6);

        var first = await Preview.RunAsync(request);
        var second = await Preview.RunAsync(request);

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.NotEqual(JsonSerializer.Serialize(first), JsonSerializer.Serialize(await Preview.RunAsync(request with { FirstSeed = 41 })));
    }

    [Fact]
    public async Task RunAsync_ScenarioWithoutFaults_WarnsItDoesNotDiscriminate()
    {
        var draft = BuiltIn("W01");
        draft["id"] = "calm-pop";
        draft["faults"] = new JsonObject { ["background_probability"] = 0, ["bad_paths"] = new JsonArray() };

        var result = await Preview.RunAsync(new PreviewRequest(Document(draft), Seeds: 8));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(ScenarioPreview.NoDiscrimination, warning.Code);
        Assert.Contains("naive", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AnySuiteWhoseExploitScores_WarnsForThatExploit()
    {
        // The toy suite's agents all say the word and score 1: a reference agent that does no
        // better than the first, and a cheat that pays.
        var preview = new ScenarioPreview([new ToyFormat()]);
        var document = new ScenarioDocument("T01", 1, "toy", "say", "easy", "say", "Say the word", ScenarioSource.Stored, Element(new JsonObject()));

        var result = await preview.RunAsync(new PreviewRequest(document, Seeds: 3));

        Assert.Equal(["a", "b", "exploit-say"], result.Agents.Select(a => a.Agent));
        Assert.Equal([ScenarioPreview.NoDiscrimination, ScenarioPreview.ExploitScores], result.Warnings.Select(w => w.Code));
        Assert.Contains("exploit-say averages 1.000", result.Warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledAfterTheFirstEpisode_StopsBeforeTheEnd()
    {
        using var cancellation = new CancellationTokenSource();
        var reports = new List<PreviewProgress>();
        var progress = new SynchronousProgress<PreviewProgress>(p =>
        {
            reports.Add(p);
            cancellation.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Preview.RunAsync(new PreviewRequest(Stock("W01"), Seeds: 200), progress, cancellation.Token));

        Assert.InRange(reports.Count, 1, System.Environment.ProcessorCount);
        Assert.True(reports[^1].Completed < reports[^1].Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(201)]
    public async Task RunAsync_SeedsOutOfRange_Refused(int seeds)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Preview.RunAsync(new PreviewRequest(Stock("W01"), Seeds: seeds)));

        Assert.Contains("1 to 200 seeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownSuite_Refused()
    {
        var document = new ScenarioDocument("X1", 1, "nowhere", "t", "easy", "f", "x", ScenarioSource.Stored, Element(new JsonObject()));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Preview.RunAsync(new PreviewRequest(document)));

        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddScenarios_RegistersThePreview()
    {
        using var directory = new TempDirectory();
        await using var services = await ServicesAsync(directory);

        Assert.IsType<ScenarioPreview>(services.GetRequiredService<IScenarioPreview>());
    }

    /// <summary>Reports on the caller's thread, so a test sees every report before the run returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>The toy suite's documents: any is valid, and its first reference agent doubles as a cheat.</summary>
    private sealed class ToyFormat : IScenarioFormat
    {
        public string Suite => "toy";

        public JsonObject Schema => [];

        public IReadOnlyList<ScenarioDocument> BuiltIn => [];

        public IReadOnlyList<ScenarioError> Check(JsonElement document) => [];

        public ScenarioRehearsal Rehearse(ScenarioDocument document) => new(new CheatingToySuite(new ToySuite("toy", "a", "b")), _ => FaultPlan.None);
    }

    private sealed class CheatingToySuite(ToySuite toy) : ISuite
    {
        public string Name => toy.Name;
        public string Description => toy.Description;
        public IReadOnlyList<TaskDescriptor> Tasks => toy.Tasks;
        public IReadOnlyList<string> Tiers => toy.Tiers;
        public IReadOnlyList<ScenarioDescriptor> Scenarios => toy.Scenarios;
        public IReadOnlyList<ToolDescriptor> Tools => toy.Tools;
        public IReadOnlyList<FaultKind> FaultKinds => toy.FaultKinds;
        public SuiteSchemas Schemas => toy.Schemas;
        public IReadOnlyList<ReferenceAgent> ReferenceAgents => toy.ReferenceAgents;
        public IReadOnlyList<ReferenceAgent> ExploitAgents => [new("exploit-say", toy.ReferenceAgents[0].Create)];
        public IEpisodeSession CreateSession() => toy.CreateSession();
    }
}
