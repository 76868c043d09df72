using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;

namespace ChaosLab.Tests.Web.Components;

/// <summary>
/// The replay draws a step's message flow, trial summary, configuration change, tier verdicts,
/// code change and sandbox run from results recorded in the suite-neutral conventions, through
/// the real store and its disclosure rules.
/// </summary>
public sealed class ReplayStepResultsTests : DashboardTestContext, IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _harness = await RecordingHarness.StartAsync();
        Services.AddSingleton<TimeProvider>(new ManualTimeProvider(Epoch));
        Services.AddSingleton(_harness.Store);
        Services.AddSingleton(_harness.Feed);
        Services.AddScoped<ReplayViewModel>();
        Services.AddSingleton(_harness.Traces);
        Services.AddScoped<ChaosLab.Web.Model.Runs.HarnessLaneViewModel>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Render_FinishedEpisodeTrialStep_FlowWithTheFaultWhereItBrokeAndTheSummary()
    {
        await RecordAsync("ep-flow", finish: true);
        NavigateTo("episodes/ep-flow?step=1");

        var page = RenderReplay("ep-flow");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=step-inspector] [data-testid=message-flow]")));
        var flow = page.Find("[data-testid=message-flow]");
        Assert.Equal(("trial-1#3", "true"), (flow.GetAttribute("data-run"), flow.GetAttribute("data-truthful")));
        Assert.Equal(5, page.FindAll("[data-testid=flow-message]").Count);
        Assert.Equal("format_mismatch", page.Find("[data-testid=flow-message][data-seq='2'] [data-testid=fault-badge]").GetAttribute("data-kind"));
        Assert.Equal("failed", page.Find("[data-testid=flow-outcome]").TextContent.Trim());
        Assert.Equal("10", page.Find("[data-testid=trial-runs]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=config-change]"));
    }

    [Fact]
    public async Task Render_RunningEpisode_FlowFromTheDeliveredResultWithoutFaults()
    {
        await RecordAsync("ep-live", finish: false);
        NavigateTo("episodes/ep-live?step=1");

        var page = RenderReplay("ep-live");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=message-flow]")));
        Assert.Equal("false", page.Find("[data-testid=message-flow]").GetAttribute("data-truthful"));
        Assert.Equal(5, page.FindAll("[data-testid=flow-message]").Count);
        Assert.NotNull(page.Find("[data-testid=flow-operator-view]"));
        Assert.Empty(page.FindAll("[data-testid=fault-badge]"));
        Assert.Empty(page.FindAll("[data-testid=config-change]"));
    }

    [Fact]
    public async Task Render_FinalStep_ConfigurationChangeAndHeldOutSummary()
    {
        await RecordAsync("ep-final", finish: true);
        NavigateTo("episodes/ep-final?step=3");

        var page = RenderReplay("ep-final");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=config-change]")));
        Assert.Equal(4, page.FindAll("[data-testid=config-field]").Count);
        Assert.NotNull(page.Find("[data-testid=trial-summary]"));
        Assert.Empty(page.FindAll("[data-testid=message-flow]"));
    }

    [Fact]
    public async Task Render_MalformedTraceStep_PageRendersWithTheRawResultAndNoFlow()
    {
        await RecordAsync("ep-bad", finish: true);
        NavigateTo("episodes/ep-bad?step=2");

        var page = RenderReplay("ep-bad");

        page.WaitForAssertion(() => Assert.Equal("Step 2 · read_trace", page.Find("[data-testid=step-heading]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=message-flow]"));
        Assert.Empty(page.FindAll("[data-testid=trial-summary]"));
        Assert.NotNull(page.Find("[data-testid=step-tabs]"));
    }

    [Fact]
    public async Task Select_AnotherStep_TheFlowGoesWithItsStep()
    {
        await RecordAsync("ep-move", finish: true);
        NavigateTo("episodes/ep-move?step=1");
        var page = RenderReplay("ep-move");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=message-flow]")));

        page.Find("[data-testid=step-next]").Click();

        page.WaitForAssertion(() => Assert.Equal("Step 2 · read_trace", page.Find("[data-testid=step-heading]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=message-flow]"));
    }

    [Fact]
    public async Task Render_GradedCodeSubmission_VerdictsCodeChangeAndTheGradingRun()
    {
        const string Id = "ep-code";
        _harness.Recorder.EpisodeStarted(Start(Info(Id, suite: "hardening", task: "stream", tier: "beginner", scenario: "H01")), Reset());
        var examples = $$$"""{"sandbox_run": {"label": "examples", "outcome": "completed", "exit_code": 0, "stdout": "ok", "stderr": ""}}""";
        await _harness.Recorder.StepRecordedAsync(Id, ToolStep(1, "run_examples", examples, examples), TimeSpan.Zero);
        var final = Final(2, new JsonObject { ["code"] = AfterCode });
        final = final with { Record = final.Record with { CleanResult = GradedSubmission(), DeliveredResult = """{"accepted": true}""" } };
        await _harness.Recorder.StepRecordedAsync(Id, final, TimeSpan.Zero);
        await StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, Id, t => t.Steps.Count == 3);
        NavigateTo($"episodes/{Id}?step=2");

        var page = RenderReplay(Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=tier-verdicts]")));
        Assert.Equal("hidden cases", page.Find("[data-testid=tier-verdicts]").GetAttribute("data-scope"));
        Assert.Equal(3, page.FindAll("[data-testid=verdict-tier]").Count);
        Assert.Equal("original", page.Find("[data-testid=code-change]").GetAttribute("data-baseline"));
        Assert.Equal("failed", Assert.Single(page.FindAll("[data-testid=sandbox-run]")).GetAttribute("data-outcome"));

        page.Find("[data-testid=step-previous]").Click();

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("[data-testid=sandbox-run]").GetAttribute("data-outcome")));
        Assert.Empty(page.FindAll("[data-testid=tier-verdicts]"));
        Assert.Empty(page.FindAll("[data-testid=code-change]"));
    }

    /// <summary>Reset; run_trial (summary + failing trace); read_trace with a broken trace; then, when finished, the graded submission with its config change.</summary>
    private async Task RecordAsync(string id, bool finish)
    {
        _harness.Recorder.EpisodeStarted(Start(Info(id, suite: "pipelines", task: "inter_agent", tier: "beginner", scenario: "P01")), Reset());
        await _harness.Recorder.StepRecordedAsync(id, ToolStep(1, "run_trial", TrialResult(), Delivered(TrialResult())), TimeSpan.Zero);
        const string Broken = """{"message_trace": {"agents": "none", "messages": [{"from": 1}, "x"]}, "trial_summary": {"runs": "ten"}}""";
        await _harness.Recorder.StepRecordedAsync(id, ToolStep(2, "read_trace", Broken, Broken), TimeSpan.Zero);
        if (finish)
        {
            var final = Final(3, new JsonObject { ["config"] = new JsonObject { ["retry_max"] = 2 } });
            final = final with { Record = final.Record with { CleanResult = FinalResult(), DeliveredResult = """{"accepted": true}""" } };
            await _harness.Recorder.StepRecordedAsync(id, final, TimeSpan.Zero);
        }

        await StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, id, t => t.Steps.Count == (finish ? 4 : 3));
    }

    private static StepResult ToolStep(int index, string tool, string clean, string delivered) => new(
        new JsonObject { ["result"] = JsonNode.Parse(delivered) },
        0,
        false,
        new StepRecord(
            index,
            new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = new JsonObject() },
            clean,
            delivered,
            [],
            [],
            Epoch.AddSeconds(index),
            null));

    private IRenderedComponent<Replay> RenderReplay(string id) => RenderPage<Replay>(p => p.Add(r => r.Id, id));
}
