using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

[Collection(BrowserTestGroup.Name)]
public sealed class CurriculaPageTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [BrowserFact]
    public Task Curricula_ResetNamingACurriculum_ListedAndItsPageOpensInBothThemesAndWidths() => browser.RunAsync(nameof(Curricula_ResetNamingACurriculum_ListedAndItsPageOpensInBothThemesAndWidths), async (page, diagnostics) =>
    {
        using (var client = app.CreateHttpClient())
        {
            using var reset = await client.PostAsJsonAsync(new Uri("/reset", UriKind.Relative),
                new JsonObject { ["curriculum"] = "e2e-run", ["task_id"] = "task1", ["seed"] = 7, ["agent"] = "e2e-client" });
            reset.EnsureSuccessStatusCode();
        }

        var curricula = new CurriculaPages(page);
        var shell = new Shell(page);
        await page.GotoAsync(Url(CurriculaPages.Path));
        await Expect(curricula.Rows).ToHaveCountAsync(1);
        await curricula.NameLink("e2e-run").ClickAsync();

        await Expect(page).ToHaveURLAsync(Url("/web/curricula/e2e-run"));
        await Expect(curricula.SummaryTier).ToHaveTextAsync("warmup");
        await Expect(curricula.DecisionTiers).ToHaveTextAsync(["warmup"]);

        foreach (var (scheme, width, height) in new[] { (ColorScheme.Light, 1280, 800), (ColorScheme.Dark, 1280, 800), (ColorScheme.Light, 390, 844), (ColorScheme.Dark, 390, 844) })
        {
            var suffix = $"{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync(Url(CurriculaPages.Path));
            await Expect(curricula.Rows).ToHaveCountAsync(1);
            // Leaving a page before its circuit is up aborts requests, which the clean check counts.
            await shell.WaitForThemeAsync();
            await TestArtifacts.SaveScreenshotAsync(page, "curricula-" + suffix);
            await page.GotoAsync(Url("/web/curricula/e2e-run"));
            await Expect(curricula.TierChart.Locator(".main-svg").First).ToBeVisibleAsync();
            await shell.WaitForThemeAsync();
            await TestArtifacts.SaveScreenshotAsync(page, "curriculum-" + suffix);
        }

        diagnostics.AssertClean();
    });

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();
}
