using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// The replay's drawings of the suite-neutral result conventions in a real browser: a 45-message
/// flow stays inside its own scrolling box at desktop and phone width, in both themes.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class MessageFlowReplayTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [BrowserFact]
    public Task Replay_LongMessageFlow_ScrollsInsideItsBoxAtDesktopAndPhoneInBothThemes() => browser.RunAsync(nameof(Replay_LongMessageFlow_ScrollsInsideItsBoxAtDesktopAndPhoneInBothThemes), async (page, diagnostics) =>
    {
        await RecordAsync("flow-long");
        var replay = new ReplayPage(page);
        var shell = new Shell(page);

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
                await page.GotoAsync(new Uri(app.ServerAddress, "/web/episodes/flow-long?step=1").ToString());
                await Expect(replay.Interactive).ToBeVisibleAsync();
                await shell.WaitForThemeAsync();
                await Expect(replay.FlowMessages).ToHaveCountAsync(45);
                await Expect(replay.TrialSummary).ToBeVisibleAsync();
                var faulted = replay.MessageFlow.Locator("[data-testid=flow-message][data-seq='22'] [data-testid=fault-badge]");
                await Expect(faulted).ToBeVisibleAsync();

                // The diagram scrolls inside its box: the page does not grow by 45 rows nor sideways.
                var box = replay.MessageFlow.Locator(".flow-scroll");
                Assert.True(await box.EvaluateAsync<bool>("e => e.scrollHeight > e.clientHeight"), "The flow's box does not scroll.");
                Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"The replay scrolls sideways at {width} px.");

                // A row opens to its whole body.
                var row = replay.MessageFlow.Locator("[data-testid=flow-message][data-seq='3']");
                await row.Locator("summary").ClickAsync();
                await Expect(row.GetByTestId("flow-body")).ToBeVisibleAsync();
                // Where it broke, scrolled to inside the box.
                await faulted.ScrollIntoViewIfNeededAsync();
                var name = $"replay-flow-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
                await replay.MessageFlow.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(TestArtifacts.Directory, "screenshots", name + "-diagram.png") });
                await replay.TrialSummary.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(TestArtifacts.Directory, "screenshots", name + "-summary.png") });
                await page.EvaluateAsync("() => window.scrollTo(0, 0)");
                await TestArtifacts.SaveScreenshotAsync(page, name);
            }
        }

        diagnostics.AssertClean();
    });

    private async Task RecordAsync(string id)
    {
        var recorder = app.Services.GetRequiredService<IEpisodeRecorder>();
        recorder.EpisodeStarted(Start(Info(id, prompt: "Diagnose and harden the research pipeline")), Reset());
        var trial = TrialResult(LongTrace(45));
        await recorder.StepRecordedAsync(id, new StepResult(
            new JsonObject(),
            0,
            false,
            new StepRecord(1, new JsonObject { ["type"] = "call_tool", ["tool_name"] = "run_trial", ["arguments"] = new JsonObject() }, trial, Delivered(trial), [], [], Epoch.AddSeconds(1), null)), TimeSpan.Zero);
        var final = Final(2, new JsonObject { ["config"] = new JsonObject { ["retry_max"] = 2 } });
        await recorder.StepRecordedAsync(id, final with { Record = final.Record with { CleanResult = FinalResult(), DeliveredResult = """{"accepted": true}""" } }, TimeSpan.Zero);
    }
}
