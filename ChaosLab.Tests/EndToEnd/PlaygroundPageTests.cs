using System.Text.Json.Nodes;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

[Collection(BrowserTestGroup.Name)]
public sealed class PlaygroundPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [BrowserFact]
    public Task Playground_WholeEpisode_IsGradedAndRecordedForHuman() => browser.RunAsync(nameof(Playground_WholeEpisode_IsGradedAndRecordedForHuman), async (page, diagnostics) =>
    {
        var playground = new PlaygroundPage(page);
        await page.GotoAsync(new Uri(app.ServerAddress, "/web/playground").ToString());
        await Expect(playground.Interactive).ToBeVisibleAsync();

        await playground.ChooseAsync(playground.Task, "task3 ·");
        await playground.ChooseAsync(playground.Tier, "expert");
        await playground.Seed.FillAsync("1");
        await TestArtifacts.SaveScreenshotAsync(page, "playground-1280-light-before");
        await playground.Start.ClickAsync();

        await Expect(playground.Question).ToContainTextAsync("FY2025 revenue");
        await Expect(playground.StepsRemaining).ToHaveTextAsync("10 of 10 steps left");

        await playground.Argument("web_search", "query").FillAsync("Revfluth Networks FY2025 revenue");
        await playground.Call.ClickAsync();

        await Expect(playground.Turns).ToHaveCountAsync(1);
        await Expect(playground.Turns.First).ToContainTextAsync("web_search");
        await Expect(playground.StepsRemaining).ToHaveTextAsync("9 of 10 steps left");

        // Invalid JSON in an object field: an inline message, and no step is spent.
        await playground.ChooseAsync(playground.Tool, "database_insert");
        await playground.Argument("database_insert", "table").FillAsync("agent_notes");
        await playground.Argument("database_insert", "data").FillAsync("{ \"key\": ");
        await playground.Call.ClickAsync();

        await Expect(playground.FieldErrors).ToContainTextAsync("Not valid JSON");
        await Expect(playground.Turns).ToHaveCountAsync(1);
        await Expect(playground.StepsRemaining).ToHaveTextAsync("9 of 10 steps left");

        await playground.Answer.FillAsync("No, the claim is wrong: the real FY2025 revenue is 2.5 billion USD");
        await playground.Submit.ClickAsync();

        await Expect(playground.Grade).ToBeVisibleAsync();
        await Expect(playground.Grade.GetByTestId("outcome")).Not.ToHaveTextAsync("running");
        await Expect(playground.Grade.Locator("[data-testid=grade-criterion]")).ToHaveCountAsync(2);
        await TestArtifacts.SaveScreenshotAsync(page, "playground-1280-light-after");

        using var client = app.CreateHttpClient();
        var list = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/episodes?agent=human", UriKind.Relative)))!;
        // Other tests of this class play seeds 3 and 5.
        var episode = Assert.Single(list["items"]!.AsArray(), e => e!["seed"]!.GetValue<long>() == 1)!;
        Assert.Equal("ui", episode["client_kind"]!.GetValue<string>());
        Assert.Equal(1, episode["seed"]!.GetValue<long>());
        Assert.Equal(2, episode["step_count"]!.GetValue<int>());
        Assert.NotNull(episode["outcome"]);

        await playground.ReplayLink.ClickAsync();
        var replay = new ReplayPage(page);
        await Expect(replay.Agent).ToHaveTextAsync("human");
        await Expect(page).ToHaveURLAsync(new Uri(app.ServerAddress, "/web/episodes/" + episode["id"]!.GetValue<string>()).ToString());
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Playground_PhoneDark_SeedTypedAtOnceIsUsedAndTheResponseScrollsIntoView() => browser.RunAsync(nameof(Playground_PhoneDark_SeedTypedAtOnceIsUsedAndTheResponseScrollsIntoView), async (page, diagnostics) =>
    {
        var playground = new PlaygroundPage(page);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await page.GotoAsync(new Uri(app.ServerAddress, "/web/playground").ToString());

        // No wait for the circuit: the controls are disabled until it is up, so the typed seed
        // cannot land in the prerendered page and be dropped.
        await playground.Seed.FillAsync("5");
        await playground.Start.ClickAsync();

        await Expect(playground.EpisodeSeed).ToHaveTextAsync("5");
        await TestArtifacts.SaveScreenshotAsync(page, "playground-390-dark-before");
        await playground.Argument("web_search", "query").FillAsync("population");
        await playground.Call.ClickAsync();
        await Expect(playground.Turns).ToHaveCountAsync(1);
        await Expect(playground.Turns.First).ToBeInViewportAsync();

        await TestArtifacts.SaveScreenshotAsync(page, "playground-390-dark-after");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The playground scrolls sideways at 390 px.");
        diagnostics.AssertClean();
    }, new ViewportSize { Width = 390, Height = 844 });

    [BrowserFact]
    public Task Playground_OtherThemeAndWidth_Screenshots() => browser.RunAsync(nameof(Playground_OtherThemeAndWidth_Screenshots), async (page, diagnostics) =>
    {
        var playground = new PlaygroundPage(page);
        foreach (var (scheme, width, height) in new[] { (ColorScheme.Dark, 1280, 800), (ColorScheme.Light, 390, 844) })
        {
            var name = $"playground-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            await page.GotoAsync(new Uri(app.ServerAddress, "/web/playground").ToString());
            await playground.Seed.FillAsync("3");
            await TestArtifacts.SaveScreenshotAsync(page, name + "-before");
            await playground.Start.ClickAsync();
            await playground.Argument("web_search", "query").FillAsync("population");
            await playground.Call.ClickAsync();
            await Expect(playground.Turns).ToHaveCountAsync(1);
            await TestArtifacts.SaveScreenshotAsync(page, name + "-after");
        }

        diagnostics.AssertClean();
    });
}
