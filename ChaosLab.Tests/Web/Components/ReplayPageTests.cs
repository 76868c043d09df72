using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Web.Components;

public sealed class ReplayPageTests : IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await RecordingHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Render_FinishedEpisodeWithStep_ShowsHeaderTimelineFaultDiffAndGrade()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1"), agent: "resilient"), steps: 2, faults: ["rate_limit"]);
        await using var renderer = CreateRenderer(_harness.Store, _harness.Feed, "episodes/ep-1?step=1");

        var page = await renderer.RenderAsync<Replay>(new Dictionary<string, object?> { ["Id"] = "ep-1" });

        Assert.Equal("What was ACME's revenue in 2025?", page.QuerySelector("[data-testid=replay-question]")!.TextContent);
        Assert.Equal("resilient", page.QuerySelector("[data-testid=replay-agent]")!.TextContent);
        Assert.Equal("correct", page.QuerySelector("[data-testid=replay-header] [data-testid=outcome]")!.TextContent);
        Assert.Equal("../api/episodes/ep-1", page.QuerySelector("[data-testid=download-json]")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("[data-testid=download-json]")!.GetAttribute("download"));
        Assert.Equal(4, page.QuerySelectorAll("[data-testid=timeline-step]").Length);
        var selected = page.QuerySelector("[data-testid=timeline-step][aria-selected=true]")!;
        Assert.Equal("1", selected.GetAttribute("data-step"));
        Assert.Equal("0", page.QuerySelector("[data-testid=timeline]")!.GetAttribute("tabindex"));
        Assert.Equal("Step 1 · search", page.QuerySelector("[data-testid=step-heading]")!.TextContent);
        var fired = page.QuerySelector("[data-testid=fault-decision][data-fired=true]")!;
        Assert.Equal("rate_limit", fired.QuerySelector("[data-testid=fault-badge]")!.GetAttribute("data-kind"));
        Assert.Contains("0.05", fired.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("details.faults-not-fired [data-testid=fault-decision][data-fired=false]"));
        var diff = page.QuerySelector("[data-testid=diff]")!;
        Assert.Equal("clean 1", diff.QuerySelector(".diff-removed .diff-text")!.TextContent.Trim());
        Assert.Equal("faulty 1", diff.QuerySelector(".diff-added .diff-text")!.TextContent.Trim());
        var criterion = Assert.Single(page.QuerySelectorAll("[data-testid=grade-criterion]"));
        Assert.Equal(
            ["Criterion", "Expected", "Observed", "Verdict", "Weight", "Credit"],
            page.QuerySelectorAll("[data-testid=grade-criteria] th").Select(h => h.TextContent));
        Assert.Equal(["revenue", "12.5 billion USD", "12.5 billion", "correct"], criterion.QuerySelectorAll("td").Take(4).Select(d => d.TextContent.Trim()));
        Assert.NotNull(page.QuerySelector("[data-testid=answer-key]"));
        Assert.NotNull(page.QuerySelector(".reward-chart[role=img][aria-label]"));
        Assert.Null(page.QuerySelector("[data-testid=live-indicator]"));
    }

    [Fact]
    public async Task Render_RunningEpisode_SelectsTheLatestStepAndShowsNoGradeYet()
    {
        _harness.Recorder.EpisodeStarted(Start(Info("ep-run")), Reset());
        await _harness.Recorder.StepRecordedAsync("ep-run", Step(1), TimeSpan.Zero);
        await WaitForStepsAsync("ep-run", 2);
        await using var renderer = CreateRenderer(_harness.Store, _harness.Feed);

        var page = await renderer.RenderAsync<Replay>(new Dictionary<string, object?> { ["Id"] = "ep-run" });

        Assert.Equal("1", page.QuerySelector("[data-testid=timeline-step][aria-selected=true]")!.GetAttribute("data-step"));
        Assert.Equal("running", page.QuerySelector("[data-testid=replay-header] [data-testid=outcome]")!.TextContent);
        Assert.Contains("still running", page.QuerySelector("[data-testid=grade-pending]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=answer-key]"));
    }

    [Fact]
    public async Task Render_UnknownId_ShowsNotFound()
    {
        await using var renderer = CreateRenderer(_harness.Store, _harness.Feed);

        var page = await renderer.RenderAsync<Replay>(new Dictionary<string, object?> { ["Id"] = "missing" });

        Assert.Equal("Episode not found", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("missing", page.QuerySelector("[data-testid=replay-not-found]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=timeline]"));
    }

    [Fact]
    public async Task Render_UnreadableStore_ShowsInlineErrorWithRetry()
    {
        await using var broken = await RecordingHarness.StartAsync(createSchema: false);
        await using var renderer = CreateRenderer(broken.Store, broken.Feed);

        var page = await renderer.RenderAsync<Replay>(new Dictionary<string, object?> { ["Id"] = "ep-1" });

        var error = page.QuerySelector("[data-testid=state-error]")!;
        Assert.Contains("could not be read", error.TextContent, StringComparison.Ordinal);
        Assert.NotNull(error.QuerySelector("button"));
    }

    private static ComponentRenderer CreateRenderer(EpisodeStore store, IEpisodeFeed feed, string address = "episodes/x") => new(services =>
    {
        services.AddSupplyValueFromQueryProvider();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        services.AddSingleton(feed);
        services.AddSingleton<NavigationManager>(new StaticNavigationManager(address));
        services.AddScoped<ReplayViewModel>();
    });

    private Task<EpisodeTrajectory> WaitForStepsAsync(string id, int count) =>
        StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, id, t => t.Steps.Count == count);
}
