namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// Finds the Chromium that browser tests drive: <c>BROWSER_PATH</c>, else Debian's
/// <c>/usr/bin/chromium</c>. Tests never download a browser.
/// </summary>
public static class BrowserLocator
{
    public const string PathVariable = "BROWSER_PATH";
    public const string RequireVariable = "CHAOSLAB_REQUIRE_BROWSER";

    public static string? ExecutablePath { get; } = Locate();

    /// <summary>Set in CI: a missing browser fails the browser tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static string MissingReason =>
        $"No Chromium found (set {PathVariable} or install Debian's 'chromium' so /usr/bin/chromium exists). " +
        $"Set {RequireVariable}=1 to make this a failure instead of a skip.";

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }
}

/// <summary>
/// A test that needs Chromium: skipped with a reason when there is none, unless
/// <see cref="BrowserLocator.Required"/>, in which case it runs and fails.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserLocator.ExecutablePath is null && !BrowserLocator.Required)
        {
            Skip = BrowserLocator.MissingReason;
        }
    }
}
