using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

[Collection(BrowserTestGroup.Name)]
public sealed partial class ReplayPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    // E09 (expert), seed 1: the fault trace is a pure function of seed, scenario, tool and canonical
    // arguments, so these calls always meet a poisoned search result (step 1) and a truncated
    // knowledge-base entry (step 2); both change what the agent receives.
    private static readonly (string Tool, JsonObject Arguments)[] Calls =
    [
        ("web_search", new JsonObject { ["query"] = "Revfluth Networks FY2025 revenue" }),
        ("knowledge_base_lookup", new JsonObject { ["entity"] = "Revfluth Networks" }),
        ("calculator", new JsonObject { ["expression"] = "2+2" }),
    ];

    [BrowserFact]
    public Task Replay_FaultedEpisode_KeyboardMovesShowFaultsDiffAndDeepLinks() => browser.RunAsync(nameof(Replay_FaultedEpisode_KeyboardMovesShowFaultsDiffAndDeepLinks), async (page, diagnostics) =>
    {
        await PlayOverWebSocketAsync("replay-e2e-1");
        var replay = new ReplayPage(page);

        await page.GotoAsync(Address("replay-e2e-1", step: 1));

        await Expect(replay.Interactive).ToBeVisibleAsync();
        await Expect(replay.Agent).ToHaveTextAsync("wire-agent");
        await Expect(replay.StepHeading).ToHaveTextAsync("Step 1 · web_search");
        await Expect(replay.FiredFaults.Locator("[data-testid=fault-badge]")).ToHaveAttributeAsync("data-kind", "poisoned_content");
        await Expect(replay.Diff).ToBeVisibleAsync();
        await Expect(replay.Diff.Locator(".diff-added").First).ToBeVisibleAsync();
        await Expect(replay.Chart).ToBeVisibleAsync();
        await Expect(replay.GradeCriteria).ToHaveCountAsync(2);
        await Expect(replay.DownloadJson).ToHaveAttributeAsync("href", "../api/episodes/replay-e2e-1");
        await TestArtifacts.SaveScreenshotAsync(page, "replay");

        // Keys reach the server through the circuit (the full keyboard tour is a bUnit test).
        await replay.Timeline.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(replay.StepHeading).ToHaveTextAsync("Step 2 · knowledge_base_lookup");
        await Expect(page).ToHaveURLAsync(StepPattern(2));
        await Expect(replay.FiredFaults.Locator("[data-testid=fault-badge]")).ToHaveAttributeAsync("data-kind", "truncation");

        await replay.Next.ClickAsync();
        await Expect(replay.StepHeading).ToHaveTextAsync("Step 3 · calculator");

        // A deep link opens the step it names.
        await page.GotoAsync(Address("replay-e2e-1", step: 2));
        await Expect(replay.SelectedStep).ToHaveAttributeAsync("data-step", "2");
        await Expect(replay.StepHeading).ToHaveTextAsync("Step 2 · knowledge_base_lookup");
        await Expect(replay.Diff).ToBeVisibleAsync();

        var download = await page.APIRequest.GetAsync(new Uri(app.ServerAddress, "/api/episodes/replay-e2e-1").ToString());
        Assert.Equal(200, download.Status);
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task ReplayAndSideBySide_LightAndDarkAtDesktopAndPhone_Readable() => browser.RunAsync(nameof(ReplayAndSideBySide_LightAndDarkAtDesktopAndPhone_Readable), async (page, diagnostics) =>
    {
        await PlayOverWebSocketAsync("replay-shot-a");
        // Another seed (other faults) and another calculation: the runs part ways at step 3.
        await PlayOverWebSocketAsync("replay-shot-b", seed: 2, expression: "3*3");
        var replay = new ReplayPage(page);
        var shell = new Shell(page);

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                var name = $"{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
                await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });

                // Step 1: the poisoned search result, its decision and the clean-vs-delivered diff.
                await page.GotoAsync(Address("replay-shot-a", step: 1));
                await Expect(replay.Interactive).ToBeVisibleAsync();
                await shell.WaitForThemeAsync();
                await Expect(replay.Diff).ToBeVisibleAsync();
                await Expect(replay.Chart).ToBeVisibleAsync();
                var badge = replay.FiredFaults.Locator("[data-testid=fault-badge][data-kind=poisoned_content]");
                await Expect(badge).ToBeVisibleAsync();
                Assert.NotEqual(await BackgroundAsync(replay.FiredFaults), await BackgroundAsync(badge));
                await AssertNoSidewaysScrollAsync(page, "replay", width);
                await TestArtifacts.SaveScreenshotAsync(page, $"replay-{name}");

                await page.GotoAsync(new Uri(app.ServerAddress, "/web/compare/episodes?left=replay-shot-a&right=replay-shot-b").ToString());
                await Expect(page.GetByTestId("episode-pair")).ToBeVisibleAsync();
                await Expect(page.GetByTestId("pair-row")).ToHaveCountAsync(5);
                await Expect(page.Locator("[data-testid=pair-row][data-differs=true]")).ToHaveCountAsync(1);
                await Expect(page.GetByTestId("first-divergence")).ToHaveTextAsync("The runs part ways at step 3.");
                await AssertNoSidewaysScrollAsync(page, "side by side", width);
                await TestArtifacts.SaveScreenshotAsync(page, $"side-by-side-{name}");
            }
        }

        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Replay_RunningEpisode_StepsArriveLiveAndTheGradeAppearsWithoutReload() => browser.RunAsync(nameof(Replay_RunningEpisode_StepsArriveLiveAndTheGradeAppearsWithoutReload), async (page, diagnostics) =>
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        await client.RequestAsync(new JsonObject
        {
            ["type"] = "reset",
            ["data"] = new JsonObject { ["scenario_id"] = "E09", ["seed"] = 1, ["episode_id"] = "replay-live", ["agent"] = "wire-agent" },
        });
        await StepAsync(client, Calls[0].Tool, Calls[0].Arguments);
        var replay = new ReplayPage(page);

        // A step's reply can precede its commit (only the final step waits): open the page once both rows are stored.
        await WaitForStoredStepsAsync("replay-live", 2);
        await page.GotoAsync(new Uri(app.ServerAddress, "/web/episodes/replay-live").ToString());
        await Expect(replay.Interactive).ToBeVisibleAsync();
        await Expect(page.GetByTestId("live-indicator")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("grade-pending")).ToContainTextAsync("still running");
        await Expect(page.Locator("[data-testid=timeline-step]")).ToHaveCountAsync(2);

        await StepAsync(client, Calls[1].Tool, Calls[1].Arguments);

        await Expect(page.Locator("[data-testid=timeline-step]")).ToHaveCountAsync(3);
        // Following the latest step: the selection moved along with it.
        await Expect(replay.StepHeading).ToHaveTextAsync("Step 2 · knowledge_base_lookup");

        // While it runs, the page shows no more than the agent has seen: no fault decisions, no clean result.
        await Expect(page.GetByTestId("faults-sealed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("faults-hidden")).ToBeVisibleAsync();
        await TestArtifacts.SaveScreenshotAsync(page, "replay-running");

        await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "No, 2.5 billion" },
        });

        await Expect(replay.GradeCriteria).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("live-indicator")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("replay-header").GetByTestId("outcome")).Not.ToHaveTextAsync("running");
        await Expect(page.GetByTestId("faults-sealed")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("faults-hidden")).ToHaveCountAsync(0);
        diagnostics.AssertClean();
    });

    private string Address(string id, int step) => new Uri(app.ServerAddress, $"/web/episodes/{id}?step={step}").ToString();

    private async Task PlayOverWebSocketAsync(string episodeId, int seed = 1, string expression = "2+2")
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await client.RequestAsync(new JsonObject
        {
            ["type"] = "reset",
            ["data"] = new JsonObject { ["scenario_id"] = "E09", ["seed"] = seed, ["episode_id"] = episodeId, ["agent"] = "wire-agent" },
        });
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        foreach (var (tool, arguments) in Calls)
        {
            await StepAsync(client, tool, tool == "calculator" ? new JsonObject { ["expression"] = expression } : arguments);
        }

        // The final reply comes once the whole episode is durable.
        var final = await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "No, the real revenue is $2.5 billion" },
        });
        Assert.True(final["data"]!["done"]!.GetValue<bool>());
    }

    private Task<EpisodeTrajectory> WaitForStoredStepsAsync(string id, int count) => StoreWaiter.WaitForStepsAsync(
        app.Services.GetRequiredService<IEpisodeFeed>(), app.Services.GetRequiredService<EpisodeStore>(), id, count);

    private static async Task StepAsync(WireClient client, string tool, JsonObject arguments)
    {
        var reply = await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments.DeepClone() },
        });
        Assert.Equal("observation", reply["type"]!.GetValue<string>());
    }

    private static Task<string> BackgroundAsync(ILocator element) =>
        element.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what, int width)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"The {what} page scrolls sideways at {width} px.");
    }

    private static Regex StepPattern(int step) => new($@"/web/episodes/[^?]+\?step={step}$");
}
