using System.Text.RegularExpressions;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

[Collection(BrowserTestGroup.Name)]
public sealed partial class StatusPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [BrowserFact]
    public Task OpenRoot_InChromium_RedirectsToLeaderboardAndStatusPageOpensWithNoErrors() => browser.RunAsync(nameof(OpenRoot_InChromium_RedirectsToLeaderboardAndStatusPageOpensWithNoErrors), async (page, diagnostics) =>
    {
        var status = new StatusPage(page);

        await page.GotoAsync(app.ServerAddress.ToString());

        await Expect(page).ToHaveURLAsync(new Uri(app.ServerAddress, "/web/").ToString());
        await Expect(status.Heading).ToHaveTextAsync("Leaderboard");
        await page.GotoAsync(new Uri(app.ServerAddress, StatusPage.Path).ToString());
        await Expect(status.Heading).ToHaveTextAsync("ChaosLab");
        await Expect(status.EpisodeCount).ToHaveTextAsync("0");
        await Expect(status.Chart).ToBeVisibleAsync();
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Status_BothThemesAndWidths_Screenshots() => browser.RunAsync(nameof(Status_BothThemesAndWidths_Screenshots), async (page, diagnostics) =>
    {
        var status = new StatusPage(page);
        foreach (var (scheme, width, height) in new[] { (ColorScheme.Light, 1280, 800), (ColorScheme.Dark, 1280, 800), (ColorScheme.Light, 390, 844), (ColorScheme.Dark, 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync(new Uri(app.ServerAddress, StatusPage.Path).ToString());
            await Expect(status.Chart).ToBeVisibleAsync();
            await Expect(status.EpisodeCount).ToBeVisibleAsync();
            await new Shell(page).WaitForThemeAsync();
            await TestArtifacts.SaveScreenshotAsync(page, $"status-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}");
        }

        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task LiveChart_TrafficAfterLoad_DrawsItWithoutReload() => browser.RunAsync(nameof(LiveChart_TrafficAfterLoad_DrawsItWithoutReload), async (page, diagnostics) =>
    {
        var status = new StatusPage(page);
        await page.GotoAsync(new Uri(app.ServerAddress, StatusPage.Path).ToString());
        await Expect(status.Chart).ToBeVisibleAsync();
        var before = await status.ChartTotalAsync();

        using var client = app.CreateHttpClient();
        for (var i = 0; i < 25; i++)
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        }

        // The monitor shows completed seconds; the chart must catch up within a few ticks.
        await page.WaitForFunctionAsync(
            $"() => (document.querySelector('.rate-chart').data?.[0]?.y ?? []).reduce((a, b) => a + b, 0) >= {before + 25}",
            null,
            new PageWaitForFunctionOptions { Timeout = 10_000 });
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task PauseButton_Clicked_ToggleRunsOverTheCircuit() => browser.RunAsync(nameof(PauseButton_Clicked_ToggleRunsOverTheCircuit), async (page, diagnostics) =>
    {
        var status = new StatusPage(page);
        await page.GotoAsync(new Uri(app.ServerAddress, StatusPage.Path).ToString());
        // Clicking before the circuit is up would hit the prerendered (inert) button.
        await page.WaitForFunctionAsync("() => window.Blazor && document.querySelector('.rate-chart.js-plotly-plot')");
        await Expect(status.LiveState).ToHaveTextAsync("Live");

        await status.ToggleLive.ClickAsync();

        await Expect(status.LiveState).ToHaveTextAsync("Paused");
        await Expect(status.ToggleLive).ToHaveTextAsync(ResumePattern());
        await Expect(status.ToggleLive).ToHaveAttributeAsync("aria-pressed", "true");

        await status.ToggleLive.ClickAsync();

        await Expect(status.LiveState).ToHaveTextAsync("Live");
        diagnostics.AssertClean();
    });

    [GeneratedRegex("Resume")]
    private static partial Regex ResumePattern();
}
