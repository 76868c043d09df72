using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the leaderboard, episodes, analytics and compare pages, in one place.</summary>
public sealed class DashboardPages(IPage page)
{
    public ILocator Heading => page.Locator("h1");

    // Leaderboard
    public ILocator LiveIndicator => page.GetByTestId("live-indicator");

    public ILocator LeaderboardRow(string agent) =>
        page.GetByTestId("leaderboard").Locator("tbody tr").Filter(new() { Has = page.GetByTestId("agent").GetByText(agent, new() { Exact = true }) });

    public ILocator EpisodeCount(string agent) => LeaderboardRow(agent).GetByTestId("episodes");

    // Episodes
    public ILocator Filters => page.GetByTestId("episode-filters");

    public ILocator AgentFilter => page.Locator("#episodes-agent");

    public ILocator OutcomeFilter => page.Locator("#episodes-outcome");

    public ILocator ApplyFilters => page.GetByTestId("filter-apply");

    public ILocator EpisodeRows => page.GetByTestId("episodes").Locator("tbody tr");

    public ILocator EpisodeTotal => page.GetByTestId("episode-total");

    // Analytics
    /// <summary>A chart plotly drew (it adds <c>js-plotly-plot</c> and an SVG to the container).</summary>
    public ILocator Chart(string cssClass) => page.Locator($".{cssClass}.js-plotly-plot .main-svg").First;

    // Compare
    public ILocator MeanDelta => page.GetByTestId("mean-delta");

    public ILocator PairDifferences => page.GetByTestId("pair-differences").Locator("tbody tr");

    public Task WaitForCircuitAsync(ILocator marker) =>
        Assertions.Expect(marker).ToHaveAttributeAsync("data-interactive", "true");
}
