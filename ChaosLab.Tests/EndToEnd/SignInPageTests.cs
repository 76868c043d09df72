using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Authoring;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>Signing in to author on a server with an admin key, as a person does it in Chromium.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SignInPageTests(BrowserFixture browser, AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    [BrowserFact]
    public Task SignIn_FromTheStudio_BackThereAsAnAuthorWhoCanClone() => browser.RunAsync(nameof(SignIn_FromTheStudio_BackThereAsAnAuthorWhoCanClone), async (page, diagnostics) =>
    {
        var shell = new Shell(page);
        await page.GotoAsync(Url("/web/scenarios/W01"));
        await shell.WaitForThemeAsync();
        await Expect(page.GetByTestId("scenario-id")).ToHaveTextAsync("W01");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Clone" })).ToHaveCountAsync(0);

        await page.GetByTestId("author-status").ClickAsync();
        await shell.WaitForThemeAsync();
        await page.GetByTestId("admin-key").FillAsync("not the key at all, sorry");
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("sign-in-failed")).ToBeVisibleAsync();
        await TestArtifacts.SaveScreenshotAsync(page, "sign-in-failed-1280-light");

        // The failed attempt came back as a new page: wait until it is interactive, or its first
        // render can wipe what is typed before it (the second attempt then fails as well).
        await shell.WaitForThemeAsync();
        await page.GetByTestId("admin-key").FillAsync(AdminKeyAppFactory.Key);
        await page.GetByTestId("author-name").FillAsync("Ada Lovelace");
        await Expect(page.GetByTestId("admin-key")).ToHaveValueAsync(AdminKeyAppFactory.Key);
        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page).ToHaveURLAsync(Url("/web/scenarios/W01"));
        await shell.WaitForThemeAsync();
        await Expect(page.GetByTestId("author-status")).ToHaveTextAsync("Ada Lovelace");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Clone" }).First).ToBeVisibleAsync();

        foreach (var (scheme, width, height) in new[] { (ColorScheme.Dark, 1280, 800), (ColorScheme.Light, 390, 844), (ColorScheme.Dark, 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync(Url("/web/sign-in"));
            await shell.WaitForThemeAsync();
            await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("You are signed in as Ada Lovelace.");
            await TestArtifacts.SaveScreenshotAsync(page, $"sign-in-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}");
        }

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(Url("/web/"));
        await shell.WaitForThemeAsync();
        await Expect(page.GetByTestId("author-status")).ToHaveTextAsync("Sign in");
        diagnostics.AssertClean();
    });

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();
}
