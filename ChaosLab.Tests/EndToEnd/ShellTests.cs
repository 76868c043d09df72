using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>The MudBlazor shell in Chromium: theme choice across reloads, navigation at desktop and phone widths.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ShellTests(BrowserFixture browser, ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    // ChaosLabTheme's backgrounds (#f5f6f8 light, #13161c dark) as the browser reports them.
    private const string LightBackground = "rgb(245, 246, 248)";
    private const string DarkBackground = "rgb(19, 22, 28)";

    [BrowserFact]
    public Task ThemeToggle_DarkChosenOnALightSystem_KeptAfterReloadFromTheFirstPaint() => browser.RunAsync(nameof(ThemeToggle_DarkChosenOnALightSystem_KeptAfterReloadFromTheFirstPaint), async (page, diagnostics) =>
    {
        var shell = new Shell(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.GotoAsync(Url("/web/"));
        await shell.WaitForThemeAsync();
        Assert.Equal(LightBackground, await shell.BackgroundColorAsync());
        await TestArtifacts.SaveScreenshotAsync(page, "shell-leaderboard-1280-light");

        // System → light → dark.
        await shell.ThemeToggle.ClickAsync();
        await Expect(shell.ThemeToggle).ToHaveAttributeAsync("data-theme-mode", "light");
        await shell.ThemeToggle.ClickAsync();
        await Expect(shell.ThemeToggle).ToHaveAttributeAsync("data-theme-mode", "dark");
        await Expect(shell.Root).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(shell.Root).ToHaveAttributeAsync("data-theme", "dark");

        // Without blazor.web.js no circuit can apply anything: the prerendered page alone must be
        // dark. (A second tab of the same browser, so the blocked script is not this page's failure.)
        var prerendered = await page.Context.NewPageAsync();
        await prerendered.RouteAsync("**/_framework/blazor.web.js", route => route.AbortAsync());
        await prerendered.GotoAsync(Url("/web/"));
        Assert.Equal(DarkBackground, await new Shell(prerendered).BackgroundColorAsync());
        Assert.Equal("dark", await new Shell(prerendered).Root.GetAttributeAsync("data-theme"));
        await prerendered.CloseAsync();

        await page.ReloadAsync();
        await shell.WaitForThemeAsync();
        await Expect(shell.ThemeToggle).ToHaveAttributeAsync("data-theme-mode", "dark");
        Assert.Equal(DarkBackground, await shell.BackgroundColorAsync());
        await TestArtifacts.SaveScreenshotAsync(page, "shell-leaderboard-1280-dark");

        // Dark → system: a light system shows light again.
        await shell.ThemeToggle.ClickAsync();
        await Expect(shell.Root).ToHaveAttributeAsync("data-theme", "light");
        Assert.Equal(LightBackground, await shell.BackgroundColorAsync());
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Navigation_Desktop_DrawerLinksEveryPage() => browser.RunAsync(nameof(Navigation_Desktop_DrawerLinksEveryPage), async (page, diagnostics) =>
    {
        var shell = new Shell(page);
        await page.GotoAsync(Url("/web/"));

        await Expect(shell.MenuButton).ToBeHiddenAsync();
        await Expect(shell.NavLink("Leaderboard")).ToBeVisibleAsync();
        await shell.WaitForThemeAsync();
        await shell.NavLink("Status").ClickAsync();

        await Expect(page).ToHaveURLAsync(Url("/web/status"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("ChaosLab");
        await Expect(shell.NavLink("Status")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task Navigation_Phone_MenuButtonOpensTheDrawerInBothThemes() => browser.RunAsync(nameof(Navigation_Phone_MenuButtonOpensTheDrawerInBothThemes), async (page, diagnostics) =>
    {
        var shell = new Shell(page);
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var name = scheme == ColorScheme.Dark ? "dark" : "light";
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync(Url("/web/"));
            await shell.WaitForThemeAsync();
            await Expect(shell.Root).ToHaveAttributeAsync("data-theme", name);

            await Expect(shell.NavLink("Leaderboard")).Not.ToBeInViewportAsync();
            await TestArtifacts.SaveScreenshotAsync(page, $"shell-leaderboard-390-{name}");
            await shell.MenuButton.ClickAsync();
            await Expect(shell.NavLink("Playground")).ToBeInViewportAsync();
            await TestArtifacts.SaveScreenshotAsync(page, $"shell-drawer-390-{name}");
        }

        await shell.NavLink("Episodes").ClickAsync();
        await Expect(page).ToHaveURLAsync(Url("/web/episodes"));
        await Expect(shell.NavLink("Episodes")).Not.ToBeInViewportAsync();
        diagnostics.AssertClean();
    }, new ViewportSize { Width = 390, Height = 844 });

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();
}
