using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Web.Runs;

/// <summary>The replay's harness lane and model conversation over a real store with an agent trace.</summary>
public sealed class HarnessLaneTests : DashboardTestContext, IAsyncLifetime
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
        Services.AddScoped<HarnessLaneViewModel>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Render_EpisodeWithTrace_LaneChipsPerStepAndTheSelectedStepsInterventions()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-h")), steps: 2);
        await _harness.Traces.SaveAsync("ep-h", "run-1", RunFixture.Trace());
        NavigateTo("episodes/ep-h?step=2");

        var page = RenderPage<Replay>(p => p.Add(r => r.Id, "ep-h"));

        page.WaitForAssertion(() => page.Find("[data-testid=harness-step]"));
        Assert.Equal(["h2"], LaneLayers(page, 1));
        Assert.Equal(["h2", "h4"], LaneLayers(page, 2));
        Assert.Empty(LaneLayers(page, 0));
        Assert.Equal("harness lane: h2 ×2, h4 ×1", page.Find("[data-testid=harness-lane-legend]").TextContent);
        var interventions = page.FindAll("[data-testid=harness-step] [data-testid=harness-intervention]");
        Assert.Equal(["same failing call 3 times", "arguments as a string"], interventions.Select(i => i.QuerySelector("[data-testid=harness-trigger]")!.TextContent));
        Assert.Contains("trajectory regulation", interventions[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("note: try another tool", interventions[0].QuerySelector("[data-testid=harness-change]")!.TextContent);
    }

    [Fact]
    public async Task ModelConversation_LongReply_CappedUntilShowAll()
    {
        var longReply = "{\"choices\": \"" + new string('r', HarnessLaneViewModel.TextCap + 500) + "\"}";
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-c")), steps: 1);
        await _harness.Traces.SaveAsync("ep-c", null, RunFixture.Trace(longReply));
        var page = RenderPage<Replay>(p => p.Add(r => r.Id, "ep-c"));
        page.WaitForAssertion(() => page.Find("[data-testid=model-conversation]"));

        page.Find("[data-testid=model-conversation] .mud-expand-panel-header").Click();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=conversation-message]").Count));
        Assert.Equal(["system", "user", "assistant"], page.FindAll("[data-testid=conversation-message]").Select(m => m.GetAttribute("data-role")));
        page.FindAll("[data-testid=model-conversation] .mud-tab")[1].Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=model-reply]").Count));
        var first = page.FindAll("[data-testid=model-reply]")[0];
        Assert.Equal(HarnessLaneViewModel.TextCap + 1, first.QuerySelector("[data-testid=capped-text]")!.TextContent.Length);

        first.QuerySelector("[data-testid=show-all]")!.Click();

        page.WaitForAssertion(() => Assert.Equal(longReply, page.FindAll("[data-testid=model-reply]")[0].QuerySelector("[data-testid=capped-text]")!.TextContent));
        Assert.Empty(page.FindAll("[data-testid=model-reply]")[0].QuerySelectorAll("[data-testid=show-all]"));
    }

    [Fact]
    public async Task Render_EpisodeWithoutTrace_NoLaneNoConversation()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-wire")), steps: 1);

        var page = RenderPage<Replay>(p => p.Add(r => r.Id, "ep-wire"));

        page.WaitForAssertion(() => page.Find("[data-testid=step-heading]"));
        Assert.Empty(page.FindAll("[data-testid=harness-lane-step], [data-testid=harness-lane-legend], [data-testid=model-conversation], [data-testid=harness-step]"));
    }

    [Fact]
    public async Task Render_RunningEpisode_TraceNotReadWhileItRuns()
    {
        _harness.Recorder.EpisodeStarted(Start(Info("ep-live")), Reset());
        await _harness.Recorder.StepRecordedAsync("ep-live", Step(1), TimeSpan.Zero);
        await StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, "ep-live", t => t.Steps.Count == 2);
        // Even if a trace were there, a running (sealed) episode shows none of it.
        await _harness.Traces.SaveAsync("ep-live", null, RunFixture.Trace());

        var page = RenderPage<Replay>(p => p.Add(r => r.Id, "ep-live"));

        page.WaitForAssertion(() => page.Find("[data-testid=step-heading]"));
        Assert.Empty(page.FindAll("[data-testid=harness-lane-step], [data-testid=model-conversation]"));
    }

    private static IReadOnlyList<string?> LaneLayers(IRenderedComponent<Replay> page, int step) =>
        [.. page.FindAll($"[data-testid=harness-lane-step][data-step='{step}'] [data-testid=harness-layer]").Select(c => c.GetAttribute("data-layer"))];
}
