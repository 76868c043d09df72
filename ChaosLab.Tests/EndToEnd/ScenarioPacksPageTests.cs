using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

[Collection(BrowserTestGroup.Name)]
public sealed class ScenarioPacksPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private const string ScenarioId = "e2e-pack-pop";

    [BrowserFact]
    public Task ExportThenImport_DownloadEqualsTheApiAndImportsUnchanged() => browser.RunAsync(nameof(ExportThenImport_DownloadEqualsTheApiAndImportsUnchanged), async (page, diagnostics) =>
    {
        await PublishAsync();
        byte[] expected;
        using (var client = app.CreateHttpClient())
        {
            expected = await client.GetByteArrayAsync(new Uri("/api/scenarios/export?format=zip", UriKind.Relative));
        }

        var packs = new ScenarioPacksPage(page);
        var shell = new Shell(page);
        await page.GotoAsync(Url(ScenarioPacksPage.Path));
        await shell.WaitForThemeAsync();
        await packs.ExportButton.ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => packs.ExportShown("zip").ClickAsync());

        Assert.Equal("chaoslab-scenarios.zip", download.SuggestedFilename);
        using var downloads = new TempDirectory();
        var path = downloads.File(download.SuggestedFilename);
        await download.SaveAsAsync(path);
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
        var badPack = downloads.File("bad-pack.json");
        await File.WriteAllBytesAsync(badPack, BadPack());

        foreach (var (scheme, width, height) in new[] { (ColorScheme.Light, 1280, 800), (ColorScheme.Dark, 1280, 800), (ColorScheme.Dark, 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync(Url(ScenarioPacksPage.Path));
            await shell.WaitForThemeAsync();
            await Expect(packs.ScenarioLinks.GetByText(ScenarioId, new() { Exact = true })).ToBeVisibleAsync();
            await packs.ImportButton.ClickAsync();
            await ChooseFileAsync(page, packs, path);
            await Expect(packs.FileName).ToContainTextAsync("chaoslab-scenarios.zip · ");
            await packs.Submit.ClickAsync();

            // Reading and checking the pack may take a while on a busy machine.
            await Expect(packs.Summary).ToHaveTextAsync("Nothing new: 0 versions added, 1 version unchanged.", new() { Timeout = 15_000 });
            await Expect(packs.UnchangedVersions).ToHaveTextAsync([$"{ScenarioId} v1"]);
            var suffix = $"{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
            await ScreenshotAsync(page, "scenario-import-report-" + suffix);

            await ChooseFileAsync(page, packs, badPack);
            await packs.Submit.ClickAsync();
            await Expect(packs.Refused).ToContainTextAsync("Nothing was imported.");
            await Expect(packs.ErrorEntries).ToHaveTextAsync(["entry 1 (e2e-pack-bad)"]);
            await Expect(packs.ErrorFields).ToHaveTextAsync(["/step_limit"]);
            await ScreenshotAsync(page, "scenario-import-refused-" + suffix);
        }

        diagnostics.AssertClean();
    });

    /// <summary>Publishes one scenario straight through the studio, as an author would through the editor.</summary>
    private async Task PublishAsync()
    {
        var studio = app.Services.GetRequiredService<IScenarioStudio>();
        var draft = await studio.CreateDraftAsync(ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy(ScenarioId)), "e2e");
        Assert.True(draft.Succeeded, draft.Failure?.Message);
        var published = await studio.PublishAsync(ScenarioId, null, "e2e");
        Assert.True(published.Succeeded, published.Failure?.Message);
    }

    /// <summary>The published scenario and a copy whose step limit no task allows: refused whole.</summary>
    private static byte[] BadPack()
    {
        var bad = ScenarioSamples.FixedWorldCopy("e2e-pack-bad");
        bad["step_limit"] = 10_000;
        return ScenarioPackFormat.WriteJson(new ScenarioPack(
            [ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy(ScenarioId)), ScenarioSamples.Element(bad)]));
    }

    /// <summary>Clicks "Choose a file" and picks <paramref name="path"/> in the browser's file chooser, as a person does.</summary>
    private static async Task ChooseFileAsync(IPage page, ScenarioPacksPage packs, string path)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => packs.ChooseFile.ClickAsync());
        await chooser.SetFilesAsync(path);
    }

    // The dialog is what to look at: the viewport, not the whole (long) list behind it.
    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = System.IO.Path.Combine(TestArtifacts.Directory, "screenshots", name + ".png") });

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();
}
