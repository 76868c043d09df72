using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the episodes page.</summary>
public sealed class EpisodesPage(IPage page)
{
    public ILocator Filters => page.GetByTestId("episode-filters");

    public ILocator ApplyFilters => page.GetByTestId("filter-apply");

    public ILocator Rows => page.GetByTestId("episodes").Locator("tbody tr").Filter(new() { Has = page.GetByTestId("episode-link") });

    public ILocator Total => page.GetByTestId("episode-total");

    public ILocator UrlErrors => page.GetByTestId("url-errors");

    /// <summary>A filter drop-down (its <c>data-value</c> is the chosen value).</summary>
    public ILocator Filter(string name) => page.GetByTestId("filter-" + name);

    public ILocator SortHeader(string title) => page.Locator("th").Filter(new() { HasText = title }).Locator(".sortable-column-header");

    /// <summary>Opens a filter's drop-down and clicks an option.</summary>
    public async Task ChooseAsync(string filter, string option)
    {
        await Filter(filter).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(option)}$") }).ClickAsync();
    }

    public Task WaitForCircuitAsync() => Assertions.Expect(Filters).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = Shell.CircuitStartTimeout });
}
