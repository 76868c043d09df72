using Bunit;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

/// <summary>Two recorded episodes step by step, over a real recording store.</summary>
public sealed class SideBySidePageTests : DashboardTestContext, IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _harness = await RecordingHarness.StartAsync();
        Services.AddSingleton(new EpisodePairViewModel(_harness.Store));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public void Render_NoEpisodesChosen_EmptyStatePointsToCompare()
    {
        var page = RenderPage<SideBySide>();

        page.WaitForAssertion(() => Assert.Contains("Compare", page.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal));
        Assert.Equal("compare", page.Find("[data-testid=state-empty] a").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_TwoEpisodes_ColumnsPerEpisodeAndTheRowsWhereTheyDifferMarked()
    {
        await PlayAsync("pair-left", "alpha", """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"1+1"}}""");
        await PlayAsync("pair-right", "beta", """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"2*3"}}""");
        NavigateTo("compare/episodes?left=pair-left&right=pair-right");

        var page = RenderPage<SideBySide>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=pair-row]").Count));
        var links = page.FindAll("[data-testid=episode-pair] thead a");
        Assert.Equal([("alpha", "episodes/pair-left"), ("beta", "episodes/pair-right")], links.Select(a => (a.TextContent, a.GetAttribute("href"))));
        Assert.Equal(2, page.FindAll("[data-testid=episode-pair] thead [data-testid=outcome]").Count);
        Assert.Equal(["false", "true", "false"], page.FindAll("[data-testid=pair-row]").Select(r => r.GetAttribute("data-differs")));
        Assert.Contains("pair-differs", page.FindAll("[data-testid=pair-row]")[1].ClassList);
        Assert.Equal("The runs part ways at step 1.", page.Find("[data-testid=first-divergence]").TextContent);
    }

    private async Task PlayAsync(string episodeId, string agent, string action)
    {
        using var session = new ToolsSuite().CreateSession();
        var reset = session.Reset(new ResetOptions { Seed = 5, EpisodeId = episodeId }).Value!;
        _harness.Recorder.EpisodeStarted(new EpisodeStart(session.Episode!, agent, "ws", DateTimeOffset.UtcNow), reset);
        foreach (var json in new[] { action, """{"type":"submit_answer","answer":"unknown"}""" })
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var step = (await session.StepAsync(document.RootElement)).Value!;
            await _harness.Recorder.StepRecordedAsync(episodeId, step, TimeSpan.Zero);
        }
    }
}
