using ChaosLab.Web.Hosting.Authoring;
using System.Text.Json;
using Bunit;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Studio;
using ChaosLab.Web.Model.Studio;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>The preview panel over a fake preview: the fault schedule, a run's progress, its scores and warnings, cancel, and the invalid state.</summary>
public sealed class ScenarioPreviewPanelTests : DashboardTestContext
{
    private static readonly ScenarioDocument Document = ScenarioDocument.From(JsonDocument.Parse("""
        {"id":"my-pop","version":1,"suite":"tools","task":"task1","tier":"beginner","family":"population","title":"Population"}
        """).RootElement, ScenarioSource.Stored);

    private static readonly string LongArguments = "{\"query\":\"" + new string('p', 80) + "\"}";

    private readonly FakeScenarioPreview _preview = new();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public ScenarioPreviewPanelTests()
    {
        Services.AddSingleton<IScenarioPreview>(_preview);
        Services.AddSingleton<TimeProvider>(_clock);
        Authorization.SetAuthorized("ada");
        Authorization.SetPolicies(StudioPolicies.Author);
    }

    [Fact]
    public void Run_NotAnAuthor_NoRunButtonButTheScheduleStaysOpen()
    {
        Authorization.SetPolicies();

        var panel = RenderPanel(isValid: true);

        Assert.Empty(panel.FindAll("[data-testid=preview-run]"));
        Assert.NotNull(panel.Find("[data-testid=preview-run-signed-out]"));
        Assert.NotNull(panel.Find("[data-testid=schedule-seed]"));
    }

    [Fact]
    public void ShowSchedule_Seed7_RulesInWordsAndOneRowPerCallWithItsFault()
    {
        _preview.Schedule = new FaultSchedule(7, ["database_query: timeout on the 1st attempt of each call"],
        [
            new FaultScheduleEntry("resilient", 1, "database_query", LongArguments, 1, "timeout", "scripted #0"),
            new FaultScheduleEntry("resilient", 2, "database_query", LongArguments, 2, null, ""),
        ]);
        var panel = RenderPanel(isValid: true);

        panel.Find("input[data-testid=schedule-seed]").Change("7");
        panel.Find("[data-testid=show-schedule]").Click();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=schedule-call]").Count));
        Assert.Equal(7, Assert.Single(_preview.ScheduleCalls).Seed);
        Assert.Equal("database_query: timeout on the 1st attempt of each call", panel.Find("[data-testid=schedule-rule]").TextContent);
        var calls = panel.FindAll("[data-testid=schedule-call]");
        Assert.Equal("timeout", calls[0].QuerySelector("[data-testid=fault-badge]")!.GetAttribute("data-kind"));
        Assert.Contains("scripted #0", calls[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("clean", calls[1].QuerySelector("[data-testid=call-clean]")!.TextContent.Trim());
        var arguments = calls[0].QuerySelector("[data-testid=call-arguments]")!;
        Assert.Equal(LongArguments, arguments.GetAttribute("title"));
        Assert.Equal(ScenarioPreviewViewModel.ArgumentsShown, arguments.TextContent.Length);
        Assert.EndsWith("…", arguments.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowSchedule_PreviewFails_SaysWhy()
    {
        var panel = RenderPanel(isValid: true);

        panel.Find("[data-testid=show-schedule]").Click();

        panel.WaitForAssertion(() => Assert.Equal("The fault schedule could not be computed: the suite has no reference agent", panel.Find("[data-testid=schedule-error]").TextContent));
    }

    [Fact]
    public async Task RunPreview_ProgressThenScoresThenWarnings()
    {
        var panel = RenderPanel(isValid: true);
        panel.Find("input[data-testid=preview-seeds]").Change("10");

        panel.Find("[data-testid=preview-run]").Click();
        await _preview.Started.Task;
        _preview.Report(3, 40);

        panel.WaitForAssertion(() => Assert.Equal("3 of 40 episodes played", panel.Find("[data-testid=preview-progress-text]").TextContent.Trim()));
        Assert.Equal((1, 10), (_preview.Request!.FirstSeed, _preview.Request.Seeds));
        Assert.Empty(panel.FindAll("[data-testid=preview-run]"));

        // A burst of progress re-renders once the throttle's interval has passed.
        _preview.Report(39, 40);
        Assert.Equal("3 of 40 episodes played", panel.Find("[data-testid=preview-progress-text]").TextContent.Trim());
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        panel.WaitForAssertion(() => Assert.Equal("39 of 40 episodes played", panel.Find("[data-testid=preview-progress-text]").TextContent.Trim()));

        _preview.Finish(new ScenarioPreviewResult(
            [
                new AgentPreviewScore("resilient", false, 10, 0.81, 0.5, 1.0),
                new AgentPreviewScore("naive", false, 10, 0.79, 0.4, 1.0),
                new AgentPreviewScore("first_source", true, 10, 0.3, 0.0, 1.0),
                new AgentPreviewScore("empty_answer", true, 10, 0.0, 0.0, 0.0),
            ],
            [
                new PreviewWarning("no_discrimination", "resilient (0.81) barely beats naive (0.79)"),
                new PreviewWarning("exploit_scores", "first_source scores 0.30 (above 0.05)"),
            ]));

        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=preview-result]")));
        Assert.Equal(["resilient", "naive"], panel.FindAll("[data-testid=preview-agents] [data-testid=agent-row]").Select(r => r.GetAttribute("data-agent")));
        Assert.Equal(["first_source", "empty_answer"], panel.FindAll("[data-testid=preview-exploits] [data-testid=agent-row]").Select(r => r.GetAttribute("data-agent")));
        Assert.Equal(["0.81", "0.79"], panel.FindAll("[data-testid=preview-agents] [data-testid=agent-mean]").Select(m => m.TextContent));
        Assert.Equal("(0.50–1.00, 10 episodes)", panel.Find("[data-testid=preview-agents] [data-testid=agent-range]").TextContent);
        Assert.Equal(["no_discrimination", "exploit_scores"], panel.FindAll("[data-testid=preview-warning]").Select(w => w.GetAttribute("data-code")));
        Assert.Contains("barely beats naive", panel.FindAll("[data-testid=preview-warning]")[0].TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=preview-stale]"));
        Assert.NotNull(panel.Find("[data-testid=preview-run]"));
    }

    [Fact]
    public async Task RunPreview_DocumentChangedAfterwards_ResultsMarkedStale()
    {
        var panel = RenderPanel(isValid: true);
        panel.Find("[data-testid=preview-run]").Click();
        await _preview.Started.Task;
        _preview.Finish(new ScenarioPreviewResult([new AgentPreviewScore("resilient", false, 20, 0.8, 0.5, 1.0)], []));
        panel.WaitForElement("[data-testid=preview-result]");

        var edited = ScenarioDocument.From(JsonDocument.Parse(Document.Content.GetRawText().Replace("Population", "Population, harder", StringComparison.Ordinal)).RootElement, ScenarioSource.Stored);
        panel.Render(p => p.Add(c => c.Document, edited));

        Assert.NotNull(panel.Find("[data-testid=preview-stale]"));
    }

    [Fact]
    public async Task Cancel_WhileRunning_StopsTheRunAndOffersItAgain()
    {
        var panel = RenderPanel(isValid: true);
        panel.Find("[data-testid=preview-run]").Click();
        await _preview.Started.Task;

        panel.WaitForElement("[data-testid=preview-cancel]").Click();

        Assert.True(await _preview.Canceled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        panel.WaitForElement("[data-testid=preview-canceled]");
        Assert.NotNull(panel.Find("[data-testid=preview-run]"));
        Assert.Empty(panel.FindAll("[data-testid=preview-result]"));
    }

    [Fact]
    public async Task Dispose_WhileRunning_CancelsTheRun()
    {
        var panel = RenderPanel(isValid: true);
        panel.Find("[data-testid=preview-run]").Click();
        await _preview.Started.Task;

        await panel.InvokeAsync(panel.Instance.Dispose);

        Assert.True(await _preview.Canceled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        _preview.Report(5, 40);
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Render_Invalid_ExplainsAndDisablesBothActions()
    {
        var panel = RenderPanel(isValid: false);

        Assert.Equal("Fix the 2 errors first.", panel.Find("[data-testid=preview-disabled]").TextContent.Trim());
        Assert.True(panel.Find("[data-testid=show-schedule]").HasAttribute("disabled"));
        Assert.True(panel.Find("[data-testid=preview-run]").HasAttribute("disabled"));
        panel.Find("[data-testid=preview-run]").Click();
        Assert.Null(_preview.Request);
    }

    private IRenderedComponent<ScenarioPreviewPanel> RenderPanel(bool isValid) => RenderPage<ScenarioPreviewPanel>(p => p
        .Add(c => c.Document, Document)
        .Add(c => c.IsValid, isValid)
        .Add(c => c.InvalidReason, isValid ? null : "Fix the 2 errors first."));
}
