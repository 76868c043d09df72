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
/// The replay's drawings of graded code in a real browser (tier verdicts, code change, sandbox
/// run, recorded in the suite-neutral conventions): a 300-character line of code and of output
/// scrolls inside its own box, never the page, at desktop and phone width, in both themes.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class CodeResultsReplayTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private static readonly string LongLine = "    checked = [" + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"reading_{i}")) + "]";

    [BrowserFact]
    public Task Replay_GradedCodeWithLongLines_EverythingScrollsInsideItsBoxAtDesktopAndPhoneInBothThemes() => browser.RunAsync(nameof(Replay_GradedCodeWithLongLines_EverythingScrollsInsideItsBoxAtDesktopAndPhoneInBothThemes), async (page, diagnostics) =>
    {
        await RecordAsync("code-long");
        var replay = new ReplayPage(page);
        var shell = new Shell(page);

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
                await page.GotoAsync(new Uri(app.ServerAddress, "/web/episodes/code-long?step=1").ToString());
                await Expect(replay.Interactive).ToBeVisibleAsync();
                await shell.WaitForThemeAsync();
                await Expect(replay.TierVerdicts.Locator("[data-testid=verdict-tier]")).ToHaveCountAsync(3);
                await Expect(replay.VerdictCases.First).ToHaveAttributeAsync("data-passed", "false");
                await Expect(replay.VerdictCases.First.Locator("[data-testid=verdict-evidence]").First).ToBeVisibleAsync();
                await Expect(replay.SandboxRun.GetByTestId("sandbox-outcome")).ToHaveTextAsync("failed");

                // The full code and the output scroll sideways inside their boxes; the page does not.
                await replay.CodeChange.GetByTestId("code-full-toggle").ClickAsync();
                var listing = replay.CodeChange.GetByTestId("code-full");
                await Expect(listing).ToBeVisibleAsync();
                Assert.True(await listing.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The long line of code does not scroll inside the listing.");
                var diff = replay.CodeChange.Locator("[data-testid=diff] .diff-lines");
                Assert.True(await diff.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The long line of code does not scroll inside the diff.");
                var stdout = replay.SandboxRun.Locator("[data-testid=sandbox-stdout] pre");
                Assert.True(await stdout.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The long line of output does not scroll inside its pane.");
                Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"The replay scrolls sideways at {width} px.");

                var name = $"replay-code-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
                await Screenshot(replay.TierVerdicts, name + "-verdicts");
                await Screenshot(replay.CodeChange, name + "-change");
                await Screenshot(replay.SandboxRun, name + "-run");
                await page.EvaluateAsync("() => window.scrollTo(0, 0)");
                await TestArtifacts.SaveScreenshotAsync(page, name);
            }
        }

        diagnostics.AssertClean();
    });

    // Boxes taller than the window are shot in parts; the fixed app bar would cover their top.
    private static async Task Screenshot(ILocator box, string name) => await box.ScreenshotAsync(new LocatorScreenshotOptions
    {
        Path = Path.Combine(TestArtifacts.Directory, "screenshots", name + ".png"),
        Style = ".mud-appbar { visibility: hidden; }",
    });

    /// <summary>One graded submission whose code and output each have a line far wider than a phone.</summary>
    private async Task RecordAsync(string id)
    {
        var recorder = app.Services.GetRequiredService<IEpisodeRecorder>();
        recorder.EpisodeStarted(Start(Info(id, prompt: "Harden the sensor pipeline")), Reset());
        var after = AfterCode.Replace("    del buffer[:-MAX_BUFFER]", "    del buffer[:-MAX_BUFFER]\n" + LongLine, StringComparison.Ordinal);
        var result = JsonNode.Parse(GradedSubmission())!;
        result["grading"]!["code_change"]!["after"] = after;
        result["grading"]!["sandbox_run"]!["stdout"] = "batch 1: " + LongLine.Trim() + "\nbatch 2: 0 readings\n";
        var final = Final(1, new JsonObject { ["code"] = after });
        await recorder.StepRecordedAsync(id, final with { Record = final.Record with { CleanResult = result.ToJsonString(), DeliveredResult = """{"accepted": true}""" } }, TimeSpan.Zero);
    }
}
