using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>The leaderboard in Chromium against the real server: live over /ws, rows linking to their episodes, every score on a phone.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class LeaderboardPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [BrowserFact]
    public Task EpisodeFinishesOverWebSocket_RowUpdatesWithoutReloadAndLinksToItsEpisodes() => browser.RunAsync(nameof(EpisodeFinishesOverWebSocket_RowUpdatesWithoutReloadAndLinksToItsEpisodes), async (page, diagnostics) =>
    {
        var leaderboard = new LeaderboardPage(page);
        await PlayOverWebSocketAsync();
        await page.GotoAsync(Url("/web/"));
        await Expect(leaderboard.LiveIndicator).ToHaveAttributeAsync("data-live", "on");
        // Other tests of this class may have played too: count from what the page shows.
        await Expect(leaderboard.EpisodeCount(TestAgents.Live)).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        var before = int.Parse(await leaderboard.EpisodeCount(TestAgents.Live).TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        // Survives only if the page is not reloaded.
        await page.EvaluateAsync("() => window.__sameDocument = true");

        await PlayOverWebSocketAsync();

        var after = (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Expect(leaderboard.EpisodeCount(TestAgents.Live)).ToHaveTextAsync(after);
        await Expect(leaderboard.OverallRow(TestAgents.Live).GetByTestId("episodes")).ToHaveTextAsync(after);
        await Expect(leaderboard.Row(TestAgents.Live)).ToHaveClassAsync(RowChanged());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));

        await leaderboard.Row(TestAgents.Live).GetByTestId("agent").ClickAsync();

        await Expect(page).ToHaveURLAsync(AgentEpisodesUrl());
        await Expect(new EpisodesPage(page).Rows).ToHaveCountAsync(before + 1);
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task DesktopAndPhoneInBothThemes_EveryScoreVisible() => browser.RunAsync(nameof(DesktopAndPhoneInBothThemes_EveryScoreVisible), async (page, diagnostics) =>
    {
        var leaderboard = new LeaderboardPage(page);
        await PlayOverWebSocketAsync();
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                var name = scheme == ColorScheme.Dark ? "dark" : "light";
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.GotoAsync(Url("/web/"));
                await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", name);
                await Expect(leaderboard.LiveIndicator).ToHaveAttributeAsync("data-live", "on");
                foreach (var row in new[] { leaderboard.OverallRow(TestAgents.Live), leaderboard.Row(TestAgents.Live) })
                {
                    await row.GetByTestId("mean").ScrollIntoViewIfNeededAsync();
                    await Expect(row.GetByTestId("mean")).ToBeInViewportAsync();
                    Assert.True(await IsWithinWidthAsync(row.GetByTestId("mean"), width), $"The mean score is off-screen at {width} px.");
                    Assert.True(await IsWithinWidthAsync(row.GetByTestId("interval"), width), $"The interval is off-screen at {width} px.");
                }

                await TestArtifacts.SaveScreenshotAsync(page, $"leaderboard-{width}-{name}");
            }
        }

        diagnostics.AssertClean();
    });

    [GeneratedRegex("row-changed")]
    private static partial Regex RowChanged();

    [GeneratedRegex(@"/web/episodes\?(?=.*agent=live-agent)(?=.*mode=sealed)")]
    private static partial Regex AgentEpisodesUrl();

    private static async Task<bool> IsWithinWidthAsync(ILocator element, int width) =>
        await element.BoundingBoxAsync() is { } box && box.X >= 0 && box.X + box.Width <= width;

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();

    /// <summary>Plays a sealed episode (the leaderboard ranks only those) as a registered agent.</summary>
    private async Task PlayOverWebSocketAsync()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var key = TestAgents.Settings[$"ChaosLab:Integrity:Agents:{TestAgents.Live}"];
        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["scenario_id"] = "W01", ["mode"] = "sealed", ["agent"] = TestAgents.Live, ["agent_key"] = key } });
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = "calculator", ["arguments"] = new JsonObject { ["expression"] = "6*7" } },
        });
        var final = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "I do not know." } });
        Assert.True(final["data"]!["done"]!.GetValue<bool>());
    }
}
