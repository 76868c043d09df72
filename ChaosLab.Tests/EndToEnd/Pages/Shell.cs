using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the dashboard shell (app bar, navigation drawer, theme) shared by every page.</summary>
public sealed class Shell(IPage page)
{
    public ILocator Root => page.Locator("html");

    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });

    public ILocator NavLink(string name) => Navigation.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator MenuButton => page.GetByTestId("nav-toggle");

    public ILocator ThemeToggle => page.GetByTestId("theme-toggle");

    /// <summary>
    /// The toggle is enabled once the circuit has read the stored choice. A circuit starts after the
    /// page's scripts load and its WebSocket connects: on a loaded 2-core CI machine, with other
    /// browser pages starting at once, that can take longer than an assertion's default 5 s.
    /// </summary>
    public Task WaitForThemeAsync() => Assertions.Expect(ThemeToggle).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = CircuitStartTimeout });

    /// <summary>How long a test waits for a page's circuit to start.</summary>
    public const float CircuitStartTimeout = 20_000;

    public Task<string> BackgroundColorAsync() => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
