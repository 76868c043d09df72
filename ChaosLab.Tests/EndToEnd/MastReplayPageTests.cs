using System.Text.Json.Nodes;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// A mast episode played over /ws and replayed: the trial step draws its failing run's message
/// flow with the fault where it broke, the final step the configuration change; screenshots at
/// desktop and phone width in both themes.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class MastReplayPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private const string EpisodeId = "mast-replay-e2e";

    [BrowserFact]
    public Task Replay_MastEpisode_TrialStepShowsTheFlowAndTheFinalStepTheConfigChange() => browser.RunAsync(nameof(Replay_MastEpisode_TrialStepShowsTheFlowAndTheFinalStepTheConfigChange), async (page, diagnostics) =>
    {
        await PlayAsync();
        var replay = new ReplayPage(page);
        var shell = new Shell(page);

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                var name = $"{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
                await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
                await page.GotoAsync(new Uri(app.ServerAddress, $"/web/episodes/{EpisodeId}?step=3").ToString());
                await Expect(replay.Interactive).ToBeVisibleAsync();
                await shell.WaitForThemeAsync();

                // Step 3 is the trial: its summary, and the failing run's flow with the fault where it broke.
                await Expect(replay.StepHeading).ToHaveTextAsync("Step 3 · run_trial");
                await Expect(replay.TrialSummary).ToBeVisibleAsync();
                await Expect(replay.TrialSummary.GetByTestId("trial-runs")).ToHaveTextAsync("10");
                await Expect(replay.MessageFlow).ToHaveAttributeAsync("data-truthful", "true");
                await Expect(replay.MessageFlow.GetByTestId("flow-outcome")).ToHaveTextAsync("failed");
                Assert.True(await replay.FlowMessages.CountAsync() >= 3);
                var faulted = replay.MessageFlow.Locator("[data-testid=flow-message][data-fault]").First;
                await Expect(faulted.Locator("[data-testid=fault-badge]")).ToHaveAttributeAsync("data-family", "coordination");
                // The runs' fault decisions are in the fault inspector like any suite's.
                await Expect(replay.FiredFaults.First.Locator("[data-testid=fault-badge]")).ToBeVisibleAsync();
                Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"The replay scrolls sideways at {width} px.");
                await faulted.ScrollIntoViewIfNeededAsync();
                // Below the fixed app bar, so the screenshot of the box is not covered by it.
                await replay.MessageFlow.EvaluateAsync("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 72)");
                await replay.MessageFlow.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(TestArtifacts.Directory, "screenshots", $"mast-replay-flow-{name}.png") });
                await page.EvaluateAsync("() => window.scrollTo(0, 0)");
                await TestArtifacts.SaveScreenshotAsync(page, $"mast-replay-{name}");

                // The last step: the submitted configuration against the defaults.
                await replay.Next.ClickAsync();
                await Expect(replay.StepHeading).ToHaveTextAsync("Step 4 · submit_answer");
                await Expect(replay.ConfigChange.Locator("[data-testid=config-field][data-path='/format_translator']")).ToBeVisibleAsync();
                await Expect(replay.ConfigChange.GetByTestId("diff-side-by-side")).ToBeVisibleAsync();
                await replay.ConfigChange.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(TestArtifacts.Directory, "screenshots", $"mast-replay-config-{name}.png") });
            }
        }

        diagnostics.AssertClean();
    });

    /// <summary>Reads the pipeline and an incident, runs a trial with the defaults (they fail), submits the translator fix.</summary>
    private async Task PlayAsync()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await client.RequestAsync(new JsonObject
        {
            ["type"] = "reset",
            ["data"] = new JsonObject { ["suite"] = "mast", ["scenario_id"] = "mast-inter-w01", ["seed"] = 3, ["episode_id"] = EpisodeId, ["agent"] = "wire-agent" },
        });
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        await CallAsync(client, "read_pipeline", []);
        await CallAsync(client, "read_trace", new JsonObject { ["run_id"] = "incident#0" });
        await CallAsync(client, "run_trial", new JsonObject { ["config"] = new JsonObject(), ["runs"] = 10 });
        var final = await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject
            {
                ["type"] = "submit_answer",
                ["answer"] = new JsonObject
                {
                    ["config"] = new JsonObject { ["format_translator"] = true },
                    ["diagnosis"] = new JsonObject { ["failure_mode"] = "FM-2.5", ["component"] = "planner-9" },
                },
            },
        });
        Assert.True(final["data"]!["done"]!.GetValue<bool>(), final.ToJsonString());
    }

    private static async Task CallAsync(WireClient client, string tool, JsonObject arguments)
    {
        var reply = await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments },
        });
        Assert.Equal("observation", reply["type"]!.GetValue<string>());
    }
}
