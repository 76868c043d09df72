using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// The scenario studio end to end, in the browser alone: clone a built-in scenario, change a fact,
/// an answer override and the fault plan, preview, publish; then play it over <c>/ws</c> and see
/// its version and scripted fault in the replay. Screenshots of every studio screen in both themes.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class StudioPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private const string Id = "f01-studio";
    private const string EpisodeId = "studio-e2e-episode";

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [BrowserFact]
    public Task Studio_CloneEditPreviewPublishPlayReplay() => browser.RunAsync(nameof(Studio_CloneEditPreviewPublishPlayReplay), async (page, diagnostics) =>
    {
        var studio = new StudioPages(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.GotoAsync(Address("/web/scenarios"));
        await new Shell(page).WaitForThemeAsync();
        await Expect(studio.CloneButton("F01")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "studio-list-1280-light");

        // Clone the hand-written world F01.
        await studio.CloneButton("F01").ClickAsync();
        await studio.CloneNewId.FillAsync(Id);
        await studio.CloneSubmit.ClickAsync();
        await Expect(page).ToHaveURLAsync(Address("/web/scenarios/" + Id));
        await Expect(studio.Version).ToHaveTextAsync("draft of version 1, never published");

        // A fact, an answer override and a scripted fault, in the form.
        await studio.TypeAsync("/world/data/countries/0/population", "7000123");
        await studio.AddRow("/answer").ClickAsync();
        await studio.TypeAsync("/answer/0/slot", "population");
        await studio.TypeAsync("/answer/0/tolerance", "0.02");
        await studio.AddRow("/faults/scripted").ClickAsync();
        await studio.ChooseAsync("/faults/scripted/0/tool", "web_search");
        await studio.ChooseAsync("/faults/scripted/0/kind", "timeout");

        await Expect(studio.Publish).ToBeEnabledAsync();
        await Expect(studio.AnswerKey.GetByTestId("answer-key-tolerance")).ToHaveTextAsync("0.02");
        await Expect(studio.AnswerKey.GetByTestId("answer-key-expected")).ToContainTextAsync("7");
        await studio.Save.ClickAsync();
        await Expect(studio.Notice).ToHaveTextAsync("Saved (revision 2).");
        await ScreenshotAsync(page, "studio-editor-1280-light");

        await studio.Tab("JSON").ClickAsync();
        await Expect(studio.JsonEditor).ToBeVisibleAsync();
        // Monaco draws only the lines in view: the edited population is among them.
        await Expect(studio.JsonEditor).ToContainTextAsync("\"population\": 7000123");
        await ScreenshotAsync(page, "studio-json-1280-light");
        await studio.Tab("Form").ClickAsync();

        // Preview: the scripted fault in the schedule, then the reference agents' and cheats' scores.
        await studio.Tab("Preview").ClickAsync();
        await studio.ShowSchedule.ClickAsync();
        await Expect(studio.ScheduleCalls.First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("schedule-rules")).ToContainTextAsync("web_search");
        await studio.PreviewSeeds.FillAsync("5");
        await studio.PreviewSeeds.PressAsync("Tab");
        await studio.RunPreview.ClickAsync();
        await Expect(studio.PreviewResult).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(page.GetByTestId("preview-agents")).ToContainTextAsync("0.");
        await ScreenshotAsync(page, "studio-preview-1280-light");

        // Publish: the page shows version 1, the history lists it.
        await studio.Tab("Document").ClickAsync();
        await studio.Publish.ClickAsync();
        await Expect(studio.Notice).ToHaveTextAsync("Published version 1.");
        await Expect(studio.Status).ToHaveAttributeAsync("data-status", "published");
        await Expect(studio.Version).ToHaveTextAsync("version 1");
        await ScreenshotAsync(page, "studio-published-1280-light");
        await studio.Tab("History").ClickAsync();
        await Expect(studio.HistoryVersions).ToHaveTextAsync(["v1"]);
        await ScreenshotAsync(page, "studio-history-1280-light");

        // Play it over /ws: the first web_search times out (scripted), the answer follows the edited world.
        var outcome = await PlayAsync();
        Assert.Equal("correct", outcome);

        var replay = new ReplayPage(page);
        await page.GotoAsync(Address($"/web/episodes/{EpisodeId}?step=1"));
        await Expect(replay.Interactive).ToBeVisibleAsync();
        await Expect(page.GetByTestId("replay-scenario")).ToHaveTextAsync(Id);
        await Expect(page.GetByTestId("replay-scenario-version")).ToHaveTextAsync("v1");
        await Expect(replay.FiredFaults).ToHaveCountAsync(1);
        await Expect(replay.FiredFaults).ToContainTextAsync("scripted: timeout on attempt 1");
        await ScreenshotAsync(page, "studio-replay-1280-light");
        await page.GetByTestId("replay-scenario").ClickAsync();
        await Expect(page).ToHaveURLAsync(Address("/web/scenarios/" + Id));
        diagnostics.AssertClean();

        await ScreenshotsAsync(page, studio, ColorScheme.Dark, Desktop);
        await ScreenshotsAsync(page, studio, ColorScheme.Light, Phone);
        diagnostics.AssertClean();
    });

    /// <summary>
    /// Two visitors (two browser contexts, two circuits) on two scenarios' pages at once: each
    /// editor shows its own scenario's JSON, and typing in one leaves the other alone. (The Monaco
    /// component used before sent every circuit's editor calls to whichever browser came last.)
    /// </summary>
    [BrowserFact]
    public Task Studio_TwoVisitorsAtOnce_EachSeesOwnScenarioJson() => browser.RunAsync(nameof(Studio_TwoVisitorsAtOnce_EachSeesOwnScenarioJson), async (first, firstDiagnostics) =>
    {
        await CreateDraftAsync("two-visitors-a");
        await CreateDraftAsync("two-visitors-b");
        var other = await browser.Browser.NewContextAsync(new() { ViewportSize = Desktop, Locale = "en-US", TimezoneId = "UTC" });
        try
        {
            var second = await other.NewPageAsync();
            second.SetDefaultTimeout(15_000);
            var secondDiagnostics = new PageDiagnostics(second);
            var (a, b) = (new StudioPages(first), new StudioPages(second));

            await Task.WhenAll(first.GotoAsync(Address("/web/scenarios/two-visitors-a")), second.GotoAsync(Address("/web/scenarios/two-visitors-b")));
            await Task.WhenAll(new Shell(first).WaitForThemeAsync(), new Shell(second).WaitForThemeAsync());
            await Task.WhenAll(a.Tab("JSON").ClickAsync(), b.Tab("JSON").ClickAsync());

            await Expect(a.JsonEditor).ToContainTextAsync("\"id\": \"two-visitors-a\"");
            await Expect(b.JsonEditor).ToContainTextAsync("\"id\": \"two-visitors-b\"");
            await Expect(a.JsonEditor).Not.ToContainTextAsync("two-visitors-b");
            await Expect(b.JsonEditor).Not.ToContainTextAsync("two-visitors-a");

            // The first visitor adds a property after the opening brace; the form takes it after the pause.
            await a.JsonEditor.ClickAsync();
            await first.Keyboard.PressAsync("Control+Home");
            await first.Keyboard.PressAsync("End");
            await first.Keyboard.PressAsync("Enter");
            await first.Keyboard.TypeAsync("\"notes_typed_by_a\": 1,");
            await Expect(a.JsonEditor).ToContainTextAsync("notes_typed_by_a");
            await Expect(b.JsonEditor).ToContainTextAsync("\"id\": \"two-visitors-b\"");
            await Expect(b.JsonEditor).Not.ToContainTextAsync("notes_typed_by_a");
            await TestArtifacts.SaveScreenshotAsync(second, "studio-second-visitor-1280-light");

            firstDiagnostics.AssertClean();
            secondDiagnostics.AssertClean();
        }
        finally
        {
            await other.CloseAsync();
        }
    });

    private async Task CreateDraftAsync(string id)
    {
        var studio = app.Services.GetRequiredService<IScenarioStudio>();
        var draft = await studio.CreateDraftAsync(ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy(id)), "e2e");
        Assert.True(draft.Succeeded, draft.Failure?.Message);
    }

    /// <summary>The list, the editor (a draft of version 2), its JSON, preview and history, in one theme and width.</summary>
    private async Task ScreenshotsAsync(IPage page, StudioPages studio, ColorScheme scheme, ViewportSize size)
    {
        var suffix = $"{size.Width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
        await page.SetViewportSizeAsync(size.Width, size.Height);
        await page.EmulateMediaAsync(new() { ColorScheme = scheme });
        await page.GotoAsync(Address("/web/scenarios"));
        await new Shell(page).WaitForThemeAsync();
        await Expect(studio.Rows.First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "studio-list-" + suffix);
        // The table scrolls inside its frame; the page itself must not (a hidden label once widened it).
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"),
            $"The scenario list scrolls sideways at {size.Width} px.");

        await page.GotoAsync(Address("/web/scenarios/" + Id));
        await new Shell(page).WaitForThemeAsync();
        if (await studio.Edit.IsVisibleAsync())
        {
            await ScreenshotAsync(page, "studio-published-" + suffix);
            await studio.Edit.ClickAsync();
        }

        await Expect(studio.Version).ToHaveTextAsync("draft of version 2 (version 1 is played)");
        await Expect(studio.AnswerKey).ToBeVisibleAsync();
        await ScreenshotAsync(page, "studio-editor-" + suffix);
        await studio.Tab("JSON").ClickAsync();
        await Expect(studio.JsonEditor).ToBeVisibleAsync();
        await ScreenshotAsync(page, "studio-json-" + suffix);
        await studio.Tab("Form").ClickAsync();
        await studio.Tab("Preview").ClickAsync();
        await studio.PreviewSeeds.FillAsync("2");
        await studio.PreviewSeeds.PressAsync("Tab");
        await studio.RunPreview.ClickAsync();
        await Expect(studio.PreviewResult).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await ScreenshotAsync(page, "studio-preview-" + suffix);
        await studio.Tab("History").ClickAsync();
        await Expect(studio.HistoryVersions).ToHaveTextAsync(["v1"]);
        await ScreenshotAsync(page, "studio-history-" + suffix);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"The scenario page scrolls sideways at {size.Width} px.");
    }

    /// <summary>A full-page screenshot from the top: scrolled, the fixed app bar would be drawn mid-page.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await TestArtifacts.SaveScreenshotAsync(page, name);
    }

    private async Task<string> PlayAsync()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await client.RequestAsync(Frame("reset", new JsonObject { ["scenario_id"] = Id, ["seed"] = 1, ["episode_id"] = EpisodeId, ["agent"] = "studio-agent" }));
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        var search = await client.RequestAsync(Frame("step", new JsonObject
        {
            ["type"] = "call_tool", ["tool_name"] = "web_search", ["arguments"] = new JsonObject { ["query"] = "Quorvania population" },
        }));
        Assert.Equal("observation", search["type"]!.GetValue<string>());
        var final = await client.RequestAsync(Frame("step", new JsonObject { ["type"] = "submit_answer", ["answer"] = "About 7,000,123 people." }));
        Assert.True(final["data"]!["done"]!.GetValue<bool>());
        return final["data"]!["observation"]!["outcome"]!.GetValue<string>();
    }

    private static JsonObject Frame(string type, JsonObject data) => new() { ["type"] = type, ["data"] = data };

    private string Address(string path) => new Uri(app.ServerAddress, path).ToString();
}
