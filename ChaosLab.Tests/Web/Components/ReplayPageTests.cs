using Bunit;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Charts;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The replay page in bUnit over a real recording store: what it shows, and the keyboard, clicks and playback that move it.</summary>
public sealed class ReplayPageTests : DashboardTestContext, IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(Epoch);
    private RecordingHarness _harness = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _harness = await RecordingHarness.StartAsync();
        Register(_harness);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The page (and its feed subscription) goes first, then the store it read.
        await DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Render_FinishedEpisodeWithStep_ShowsHeaderTimelineFaultDiffAndGrade()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1"), agent: "resilient"), steps: 2, faults: ["rate_limit"]);
        NavigateTo("episodes/ep-1?step=1");

        var page = RenderReplay("ep-1");

        page.WaitForAssertion(() => Assert.Equal("Step 1 · search", page.Find("[data-testid=step-heading]").TextContent));
        Assert.Equal("What was ACME's revenue in 2025?", page.Find("[data-testid=replay-question]").TextContent);
        Assert.Equal("resilient", page.Find("[data-testid=replay-agent]").TextContent);
        var outcome = page.Find("[data-testid=replay-header] [data-testid=outcome]");
        Assert.Equal(("correct", "true"), (outcome.TextContent.Trim(), outcome.GetAttribute("data-success")));
        Assert.Contains("mud-chip-color-success", outcome.ClassList);
        var download = page.Find("[data-testid=download-json]");
        Assert.Equal(("../api/episodes/ep-1", "episode-ep-1.json"), (download.GetAttribute("href"), download.GetAttribute("download")));
        Assert.Equal(4, page.FindAll("[data-testid=timeline-step]").Count);
        Assert.Equal("1", page.Find("[data-testid=timeline-step][aria-selected=true]").GetAttribute("data-step"));
        Assert.Equal("step-1", page.Find("[data-testid=timeline]").GetAttribute("aria-activedescendant"));
        Assert.Equal("0", page.Find("[data-testid=timeline]").GetAttribute("tabindex"));
        Assert.Contains("faulted", page.Find("[data-testid=timeline-step][data-step='1']").ClassList);
        var fired = page.Find("[data-testid=step-inspector] [data-testid=fault-decision][data-fired=true]");
        Assert.Equal("rate_limit", fired.QuerySelector("[data-testid=fault-badge]")!.GetAttribute("data-kind"));
        Assert.Contains("0.05", fired.TextContent, StringComparison.Ordinal);
        Assert.Contains("retry_after_steps", fired.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("details.faults-not-fired [data-testid=fault-decision][data-fired=false]"));
        // The diff opens first: it is what the fault did.
        var diff = page.Find("[data-testid=diff]");
        Assert.Equal("clean 1", diff.QuerySelector(".diff-removed .diff-text")!.TextContent.Trim());
        Assert.Equal("faulty 1", diff.QuerySelector(".diff-added .diff-text")!.TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=step-rewards]"));
        var criterion = Assert.Single(page.FindAll("[data-testid=grade-criterion]"));
        Assert.Equal(
            ["Criterion", "Expected", "Observed", "Verdict", "Weight", "Credit"],
            page.FindAll("[data-testid=grade-criteria] th").Select(h => h.TextContent));
        Assert.Equal(["revenue", "12.5 billion USD", "12.5 billion", "correct"], criterion.QuerySelectorAll("td").Take(4).Select(d => d.TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=answer-key]"));
        Assert.NotEmpty(page.FindComponent<PlotlyChart>().Instance.Figure.Traces);
        Assert.Empty(page.FindAll("[data-testid=live-indicator]"));
    }

    [Fact]
    public async Task Render_StepTabs_SwitchToTheCleanResult()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-tabs")), steps: 1, faults: ["rate_limit"]);
        NavigateTo("episodes/ep-tabs?step=1");
        var page = RenderReplay("ep-tabs");
        page.WaitForAssertion(() => page.Find("[data-testid=diff]"));

        page.FindAll("[data-testid=step-tabs] .mud-tab").Single(t => t.TextContent.Trim() == "Clean result").Click();

        page.WaitForAssertion(() => Assert.Equal("clean 1", page.Find("[data-testid=step-clean]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=diff]"));
    }

    [Fact]
    public async Task Render_RunningEpisode_FollowsTheLatestStepAndRevealsNothing()
    {
        _harness.Recorder.EpisodeStarted(Start(Info("ep-run")), Reset());
        await _harness.Recorder.StepRecordedAsync("ep-run", Step(1, 0.1, "rate_limit"), TimeSpan.Zero);
        await WaitForStepsAsync("ep-run", 2);

        var page = RenderReplay("ep-run");

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=timeline-step][aria-selected=true]").GetAttribute("data-step")));
        Assert.Equal("running", page.Find("[data-testid=replay-header] [data-testid=outcome]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=live-indicator]"));
        Assert.Contains("still running", page.Find("[data-testid=grade-pending]").TextContent, StringComparison.Ordinal);
        Assert.Equal("hidden until the episode ends", page.Find("[data-testid=replay-seed]").TextContent);
        Assert.NotNull(page.Find("[data-testid=faults-sealed]"));
        Assert.NotNull(page.Find("[data-testid=faults-hidden]"));
        Assert.Empty(page.FindAll("[data-testid=fault-decision]"));
        Assert.Empty(page.FindAll("[data-testid=fault-badge]"));
        Assert.Empty(page.FindAll("[data-testid=diff]"));
        Assert.Empty(page.FindAll("[data-testid=answer-key]"));
    }

    [Fact]
    public async Task Keyboard_ArrowsHomeAndEnd_MoveTheSelectionAndKeepTheStepInTheAddress()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-keys")), steps: 2);
        NavigateTo("episodes/ep-keys?step=1");
        var module = JSInterop.SetupModule("./js/replay.js");
        var page = RenderReplay("ep-keys");
        page.WaitForAssertion(() => Assert.Equal("Step 1 · search", page.Find("[data-testid=step-heading]").TextContent));

        Press(page, "ArrowRight");
        Assert.Equal("Step 2 · search", page.Find("[data-testid=step-heading]").TextContent);
        Assert.EndsWith("episodes/ep-keys?step=2", Navigation.Uri, StringComparison.Ordinal);

        Press(page, "End");
        Assert.Equal("3", page.Find("[data-testid=timeline-step][aria-selected=true]").GetAttribute("data-step"));
        Assert.EndsWith("?step=3", Navigation.Uri, StringComparison.Ordinal);

        Press(page, "Home");
        Assert.Equal("Step 0 · reset", page.Find("[data-testid=step-heading]").TextContent);
        Press(page, "ArrowLeft");
        Assert.Equal("0", page.Find("[data-testid=timeline-step][aria-selected=true]").GetAttribute("data-step"));
        Assert.EndsWith("?step=0", Navigation.Uri, StringComparison.Ordinal);

        // The module keeps arrow keys from scrolling the page and scrolls the selected step into view.
        Assert.Single(module.Invocations["attach"]);
        page.WaitForAssertion(() => Assert.True(module.Invocations["reveal"].Count >= 4));
    }

    [Fact]
    public async Task Buttons_NextAndAStepClicked_SelectThatStep()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-click")), steps: 2);
        NavigateTo("episodes/ep-click?step=0");
        var page = RenderReplay("ep-click");
        page.WaitForAssertion(() => Assert.Equal("Step 0 · reset", page.Find("[data-testid=step-heading]").TextContent));
        Assert.True(page.Find("[data-testid=step-previous]").HasAttribute("disabled"));

        page.Find("[data-testid=step-next]").Click();
        Assert.Equal("Step 1 · search", page.Find("[data-testid=step-heading]").TextContent);

        page.Find("[data-testid=timeline-step][data-step='3']").Click();
        Assert.Equal("Step 3 · submit", page.Find("[data-testid=step-heading]").TextContent);
        Assert.EndsWith("?step=3", Navigation.Uri, StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=step-next]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Play_ManualClock_AdvancesOneStepPerIntervalAndStopsAtTheEnd()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-play")), steps: 2);
        NavigateTo("episodes/ep-play?step=1");
        var page = RenderReplay("ep-play");
        page.WaitForAssertion(() => Assert.Equal("Step 1 · search", page.Find("[data-testid=step-heading]").TextContent));

        page.Find("[data-testid=play-toggle]").Click();
        Assert.Equal(("true", "Pause"), (page.Find("[data-testid=play-toggle]").GetAttribute("aria-pressed"), page.Find("[data-testid=play-toggle]").TextContent.Trim()));
        Tick();

        page.WaitForAssertion(() => Assert.Equal("Step 2 · search", page.Find("[data-testid=step-heading]").TextContent));
        Assert.EndsWith("?step=2", Navigation.Uri, StringComparison.Ordinal);
        Tick();
        page.WaitForAssertion(() => Assert.Equal("Step 3 · submit", page.Find("[data-testid=step-heading]").TextContent));
        page.WaitForAssertion(() => Assert.Equal("false", page.Find("[data-testid=play-toggle]").GetAttribute("aria-pressed")));
    }

    [Fact]
    public void Render_UnknownId_ShowsNotFound()
    {
        var page = RenderReplay("missing");

        page.WaitForAssertion(() => Assert.Equal("Episode not found", page.Find("h1").TextContent));
        Assert.Contains("missing", page.Find("[data-testid=replay-not-found]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=timeline]"));
    }

    [Fact]
    public async Task Render_UnreadableStore_ShowsInlineErrorWithRetry()
    {
        await using var broken = await RecordingHarness.StartAsync(createSchema: false);
        await using var context = new BrokenStoreContext(broken, _clock);

        var page = context.RenderReplay("ep-1");

        page.WaitForAssertion(() => Assert.Contains("could not be read", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=state-error] button"));
    }

    private IRenderedComponent<Replay> RenderReplay(string id) => RenderPage<Replay>(p => p.Add(r => r.Id, id));

    private void Register(RecordingHarness harness)
    {
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(harness.Store);
        Services.AddSingleton(harness.Feed);
        Services.AddScoped<ReplayViewModel>();
        Services.AddSingleton(harness.Traces);
        Services.AddScoped<ChaosLab.Web.Model.Runs.HarnessLaneViewModel>();
    }

    /// <summary>One play interval, then the page's render throttle.</summary>
    private void Tick()
    {
        _clock.Advance(ReplayViewModel.PlayInterval);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
    }

    private static void Press(IRenderedComponent<Replay> page, string key) =>
        page.Find("[data-testid=timeline]").KeyDown(new KeyboardEventArgs { Key = key });

    private Task<EpisodeTrajectory> WaitForStepsAsync(string id, int count) =>
        StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, id, t => t.Steps.Count == count);

    /// <summary>A second host over a store with no schema: services are fixed per context.</summary>
    private sealed class BrokenStoreContext : DashboardTestContext
    {
        public BrokenStoreContext(RecordingHarness broken, TimeProvider clock)
        {
            Services.AddSingleton(clock);
            Services.AddSingleton(broken.Store);
            Services.AddSingleton(broken.Feed);
            Services.AddScoped<ReplayViewModel>();
            Services.AddSingleton(broken.Traces);
            Services.AddScoped<ChaosLab.Web.Model.Runs.HarnessLaneViewModel>();
        }

        public IRenderedComponent<Replay> RenderReplay(string id) => RenderPage<Replay>(p => p.Add(r => r.Id, id));
    }
}
