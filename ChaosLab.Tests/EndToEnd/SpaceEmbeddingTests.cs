using System.Net;
using ChaosLab.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// A Hugging Face Space shows the app in an iframe of another origin. Here a second loopback
/// server plays that page: reached as <c>localhost</c> it is an allowed ancestor, reached as
/// <c>127.0.0.1</c> (another origin, not listed) it is refused.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SpaceEmbeddingTests(BrowserFixture browser, SpaceEmbeddingTests.FramedApp app)
    : IClassFixture<SpaceEmbeddingTests.FramedApp>, IAsyncLifetime
{
    private WebApplication? _framingSite;

    private Uri FramingSite => new(_framingSite!.Urls.Single());

    [Fact]
    public async Task DashboardPage_Served_FrameAncestorsFromSettingAndNoXFrameOptions()
    {
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/web/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Frame-Options"), "X-Frame-Options would refuse every other origin whatever the CSP allows.");
        Assert.Equal("frame-ancestors 'self' http://localhost:*", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [BrowserFact]
    public Task AllowedAncestor_FramesDashboard_NavigationInsideTheFrameWorks() => browser.RunAsync(nameof(AllowedAncestor_FramesDashboard_NavigationInsideTheFrameWorks), async (page, diagnostics) =>
    {
        var framing = new UriBuilder(FramingSite) { Host = "localhost" }.Uri;

        await page.GotoAsync(framing.ToString());

        var frame = page.FrameLocator("iframe#space");
        await Expect(frame.Locator("h1")).ToHaveTextAsync("Leaderboard");
        await frame.Locator("a[href=\"episodes\"]").First.ClickAsync();
        await Expect(frame.Locator("h1")).ToHaveTextAsync("Episodes");
        Assert.EndsWith("/web/episodes", page.Frames.Single(f => f != page.MainFrame).Url, StringComparison.Ordinal);
        diagnostics.AssertClean();
    });

    [BrowserFact]
    public Task UnlistedAncestor_FramesDashboard_BrowserRefusesIt() => browser.RunAsync(nameof(UnlistedAncestor_FramesDashboard_BrowserRefusesIt), async (page, _) =>
    {
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                refused.TrySetResult(message.Text);
            }
        };

        await page.GotoAsync(FramingSite.ToString());

        Assert.Contains("violates the following Content Security Policy directive", await refused.Task.WaitAsync(TimeSpan.FromSeconds(15)), StringComparison.Ordinal);
        // The frame holds the browser's error page, not the dashboard.
        await Expect(page.FrameLocator("iframe#space").GetByRole(AriaRole.Heading, new() { Name = "Leaderboard" })).ToHaveCountAsync(0);
        Assert.DoesNotContain("/web/", page.Frames.Single(f => f != page.MainFrame).Url, StringComparison.Ordinal);
    });

    public async Task InitializeAsync()
    {
        // The "Space page": any origin other than the app's, framing the app's dashboard.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _framingSite = builder.Build();
        var dashboard = new Uri(app.ServerAddress, "/web/");
        _framingSite.MapGet("/", () => Results.Content(
            $"<!doctype html><title>Space</title><link rel=\"icon\" href=\"data:,\"><h1>Space page</h1><iframe id=\"space\" src=\"{dashboard}\" width=\"1200\" height=\"700\"></iframe>",
            "text/html"));
        await _framingSite.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_framingSite is not null)
        {
            await _framingSite.DisposeAsync();
        }
    }

    /// <summary>The app, allowing frames from any <c>localhost</c> port (the framing site as localhost).</summary>
    public sealed class FramedApp() : ChaosLabAppFactory(new Dictionary<string, string>
    {
        ["ChaosLab:Web:FrameAncestors"] = "'self' http://localhost:*",
    });
}
