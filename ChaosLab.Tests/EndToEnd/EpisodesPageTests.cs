using System.Text.RegularExpressions;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>The episodes page in Chromium against the real server: filters in the URL across a reload, a bad value, phone and desktop in both themes.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class EpisodesPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [BrowserFact]
    public Task FiltersApplied_SurviveReloadAndRowsOpenTheirReplay() => browser.RunAsync(nameof(FiltersApplied_SurviveReloadAndRowsOpenTheirReplay), async (page, diagnostics) =>
    {
        await RecordAsync("filter-bot", "fb", [(1, 1.0, "correct"), (2, 0.0, "wrong"), (3, 1.0, "correct")]);
        await RecordAsync("other-bot", "ob", [(1, 1.0, "correct")]);
        var episodes = new EpisodesPage(page);
        await page.GotoAsync(Url("/web/episodes?suite=no-such-suite"));
        await episodes.WaitForCircuitAsync();
        await Expect(episodes.UrlErrors).ToContainTextAsync("Unknown suite 'no-such-suite'. Valid values:");

        // The filters stay usable beside the message.
        await episodes.ChooseAsync("suite", "tools");
        await episodes.ChooseAsync("agent", "filter-bot");
        await episodes.ChooseAsync("outcome", "correct");
        await episodes.ApplyFilters.ClickAsync();

        await Expect(page).ToHaveURLAsync(FilteredUrl());
        await Expect(episodes.UrlErrors).ToHaveCountAsync(0);
        await Expect(episodes.Rows).ToHaveCountAsync(2);
        await Expect(episodes.Total).ToHaveTextAsync("2 episodes");

        await page.ReloadAsync();

        await Expect(episodes.Rows).ToHaveCountAsync(2);
        await Expect(episodes.Filter("agent")).ToHaveAttributeAsync("data-value", "filter-bot");
        await Expect(episodes.Filter("outcome")).ToHaveAttributeAsync("data-value", "correct");
        await Expect(episodes.Rows.First.GetByTestId("question")).ToContainTextAsync("revenue");

        await episodes.Rows.First.GetByTestId("episode-link").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/web/episodes/fb-3$"));
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task DesktopAndPhoneInBothThemes_EveryScoreVisible() => browser.RunAsync(nameof(DesktopAndPhoneInBothThemes_EveryScoreVisible), async (page, diagnostics) =>
    {
        await RecordAsync("shot-bot", "sb", [(41, 1.0, "correct"), (42, 0.5, "partial"), (43, 0.0, "wrong")], faults: ["timeout", "rate_limit"]);
        var episodes = new EpisodesPage(page);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                var name = scheme == ColorScheme.Dark ? "dark" : "light";
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.GotoAsync(Url("/web/episodes?agent=shot-bot"));
                await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", name);
                await Expect(episodes.Rows).ToHaveCountAsync(3);
                var score = episodes.Rows.First.GetByTestId("score");
                await score.ScrollIntoViewIfNeededAsync();
                await Expect(score).ToBeInViewportAsync();
                Assert.True(await score.BoundingBoxAsync() is { } box && box.X >= 0 && box.X + box.Width <= width, $"The score is off-screen at {width} px.");
                await TestArtifacts.SaveScreenshotAsync(page, $"episodes-{width}-{name}");
            }
        }

        diagnostics.AssertClean();
    });

    [GeneratedRegex(@"/web/episodes\?(?=.*suite=tools)(?=.*agent=filter-bot)(?=.*outcome=correct)")]
    private static partial Regex FilteredUrl();

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
