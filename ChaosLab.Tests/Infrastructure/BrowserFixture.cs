using Microsoft.Playwright;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>One headless Chromium shared by the browser tests of a collection.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    // Without the background-networking flags Chromium floods the closed network with requests.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(BrowserLocator.MissingReason);

    public async Task InitializeAsync()
    {
        if (BrowserLocator.ExecutablePath is not { } executable)
        {
            // Only reached when the browser is required (otherwise every browser test is skipped);
            // the tests then fail with this reason.
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// Runs <paramref name="test"/> on a fresh page; console errors and failed requests are
    /// collected in <see cref="PageDiagnostics"/>, and a screenshot is saved when the test fails.
    /// </summary>
    public async Task RunAsync(string testName, Func<IPage, PageDiagnostics, Task> test, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        try
        {
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(15_000);
            var diagnostics = new PageDiagnostics(page);
            try
            {
                await test(page, diagnostics);
            }
            catch
            {
                await TestArtifacts.SaveScreenshotAsync(page, testName + "-failure");
                throw;
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
