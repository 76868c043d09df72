using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>Compare, analytics and curriculum pages in Chromium against the real server; episodes come from /ws or the real recorder.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class DashboardPagesTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    /// <summary>Plotly.Blazor loads plotly.js (4.7 MB) when the first chart renders; on a loaded machine that takes longer than the default wait.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions ChartDrawn = new() { Timeout = 20_000 };

    private static readonly string[] Charts = ["chart-score-distribution", "chart-score-tier", "chart-recovery", "chart-steps", "chart-fault-steps"];

    [BrowserFact]
    public Task Compare_TwoAgentsOnTheSameSeeds_ShowsDelta() => browser.RunAsync(nameof(Compare_TwoAgentsOnTheSameSeeds_ShowsDelta), async (page, diagnostics) =>
    {
        await RecordAsync("cmp-a", "ca", [(11, 0.5, "partial"), (12, 1.0, "correct"), (13, 0.0, "wrong")]);
        await RecordAsync("cmp-b", "cb", [(11, 1.0, "correct"), (12, 1.0, "correct"), (13, 1.0, "correct")]);
        var dashboard = new DashboardPages(page);

        await page.GotoAsync(Url("/web/compare?a=cmp-a&b=cmp-b"));

        // Deltas b − a: +0.5, 0, +1 → mean +0.5.
        await Expect(dashboard.MeanDelta).ToHaveTextAsync("+0.500");
        await Expect(dashboard.PairDifferences).ToHaveCountAsync(2);
        await Expect(dashboard.PairDifferences.First.GetByTestId("replay-b")).ToHaveAttributeAsync("href", "episodes/cb-13");
        await TestArtifacts.SaveScreenshotAsync(page, "compare");

        // Each differing pair opens both episodes side by side.
        await dashboard.PairDifferences.First.GetByTestId("side-by-side").ClickAsync();
        await Expect(page.GetByTestId("episode-pair")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("episode-pair").Locator("thead")).ToContainTextAsync("cmp-a");
        await Expect(page.GetByTestId("episode-pair").Locator("thead")).ToContainTextAsync("cmp-b");
        await TestArtifacts.SaveScreenshotAsync(page, "compare-side-by-side");
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Analytics_FilteredEpisodes_DrawsEveryChart() => browser.RunAsync(nameof(Analytics_FilteredEpisodes_DrawsEveryChart), async (page, diagnostics) =>
    {
        await RecordAsync("chart-a", "cha", [(21, 1.0, "correct"), (22, 0.5, "partial"), (23, 0.0, "wrong")], faults: ["rate_limit"]);
        await RecordAsync("chart-b", "chb", [(21, 1.0, "correct"), (22, 1.0, "correct")], faults: ["timeout"]);
        var dashboard = new DashboardPages(page);

        await page.GotoAsync(Url("/web/analytics?agent=chart-a"));
        await Expect(page.GetByTestId("coverage")).ToHaveTextAsync(new Regex("3 graded episodes"));
        await page.GotoAsync(Url("/web/analytics?suite=tools&fault=rate_limit&fault=timeout"));

        foreach (var chart in Charts)
        {
            await Expect(dashboard.Chart(chart)).ToBeVisibleAsync(ChartDrawn);
        }

        await TestArtifacts.SaveScreenshotAsync(page, "analytics");
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task AnalyticsAndCompare_BothThemesAndSizes_ChartsFollowTheTheme() => browser.RunAsync(nameof(AnalyticsAndCompare_BothThemesAndSizes_ChartsFollowTheTheme), async (page, diagnostics) =>
    {
        // Every tools fault kind fires (the legend's worst case), and one agent scores 0 every time (a flat box).
        string[] kinds = [.. ToolsFaultKinds.All.Select(k => k.Name)];
        await RecordAsync("theme-a", "tha", [(41, 1.0, "correct"), (42, 0.5, "partial"), (43, 0.0, "wrong")], faults: kinds);
        await RecordAsync("theme-zero", "thz", [(41, 0.0, "wrong"), (42, 0.0, "wrong")], faults: ["value_corruption", "conflicting_duplicate"]);
        var dashboard = new DashboardPages(page);
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            var theme = scheme == ColorScheme.Dark ? "dark" : "light";
            foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.GotoAsync(Url("/web/analytics?fault=value_corruption"));
                foreach (var chart in Charts)
                {
                    await Expect(dashboard.Chart(chart)).ToBeVisibleAsync(ChartDrawn);
                }

                // The charts' text takes the theme's colour once the layout knows the scheme.
                var text = scheme == ColorScheme.Dark ? "#e9ecef" : "#212529";
                await page.WaitForFunctionAsync(
                    "c => document.querySelector('.chart-fault-steps')._fullLayout.font.color === c", text);
                var plotHeight = await page.EvaluateAsync<double>("() => document.querySelector('.chart-fault-steps')._fullLayout._size.h");
                Assert.True(plotHeight >= 150, $"the fired-faults plot is {plotHeight} px high at {width} px");
                await TestArtifacts.SaveScreenshotAsync(page, $"analytics-{width}-{theme}");

                await page.GotoAsync(Url("/web/compare?a=theme-a&b=theme-zero"));
                await Expect(dashboard.MeanDelta).ToHaveTextAsync("−0.750");
                await TestArtifacts.SaveScreenshotAsync(page, $"compare-{width}-{theme}");
            }
        }

        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Curriculum_AfterFiveSolvedEpisodes_PagesShowTheMoveAndDrawBothCharts() => browser.RunAsync(nameof(Curriculum_AfterFiveSolvedEpisodes_PagesShowTheMoveAndDrawBothCharts), async (page, diagnostics) =>
    {
        await using (var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws")))
        {
            for (var episode = 0; episode < 6; episode++)
            {
                var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["curriculum"] = "e2e-run", ["task_id"] = "task1", ["seed"] = episode, ["agent"] = "trainer" } });
                var scenario = ScenarioCatalog.Find(reset["data"]!["observation"]!["scenario_id"]!.GetValue<string>())!;
                var answer = ChaosLab.Tests.Core.Suites.Tools.ExploitTests.CorrectAnswer(ScenarioTemplate.Instantiate(scenario, episode));
                await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = answer } });
            }
        }

        var dashboard = new DashboardPages(page);
        await page.GotoAsync(Url("/web/curricula"));
        await Expect(page.GetByText("e2e-run")).ToBeVisibleAsync();
        await page.GotoAsync(Url("/web/curricula/e2e-run"));

        await Expect(page.GetByTestId("tier")).ToHaveTextAsync("beginner");
        await Expect(page.GetByTestId("decision-tier").Last).ToHaveTextAsync("beginner");
        await Expect(dashboard.Chart("chart-curriculum-tier")).ToBeVisibleAsync();
        await Expect(dashboard.Chart("chart-curriculum-window")).ToBeVisibleAsync();
        await TestArtifacts.SaveScreenshotAsync(page, "curriculum");
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task AllPages_PhoneSizeInDarkMode_RenderWithoutErrors() => browser.RunAsync(nameof(AllPages_PhoneSizeInDarkMode_RenderWithoutErrors), async (page, diagnostics) =>
    {
        await RecordAsync("dark-a", "da", [(31, 1.0, "correct"), (32, 0.5, "partial")], faults: ["timeout"]);
        await RecordAsync("dark-b", "db", [(31, 0.0, "wrong"), (32, 1.0, "correct")]);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        foreach (var (path, name) in new[]
        {
            ("/web/analytics", "analytics"), ("/web/compare?a=dark-a&b=dark-b", "compare"),
        })
        {
            await page.GotoAsync(Url(path));
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("state-loading")).ToHaveCountAsync(0);
            if (name == "analytics")
            {
                // Charts are drawn after the first render, once the circuit is up.
                await Expect(new DashboardPages(page).Chart("chart-score-distribution")).ToBeVisibleAsync(ChartDrawn);
            }

            await TestArtifacts.SaveScreenshotAsync(page, name + "-390-dark");
        }

        diagnostics.AssertClean();
    }, new ViewportSize { Width = 390, Height = 844 });

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();

    /// <summary>Records graded episodes through the server's own recorder, one per (seed, score, outcome), on scenario E01.</summary>
    private async Task RecordAsync(string agent, string idPrefix, (long Seed, double Score, string Outcome)[] episodes, string[]? faults = null)
    {
        var recorder = app.Services.GetRequiredService<IEpisodeRecorder>();
        foreach (var (seed, score, outcome) in episodes)
        {
            await RecordEpisodeAsync(recorder, Start(Info($"{idPrefix}-{seed}", seed: seed), agent, "ws", Epoch.AddMinutes(seed)), (int)(seed % 3) + 1,
                answer: "12.5 billion", score: score, outcome: outcome, faults: faults ?? []);
        }
    }
}
