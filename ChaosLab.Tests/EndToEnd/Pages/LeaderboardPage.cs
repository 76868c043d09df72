using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the leaderboard page.</summary>
public sealed class LeaderboardPage(IPage page)
{
    public ILocator LiveIndicator => page.GetByTestId("live-indicator");

    /// <summary>The agent's first per-task row.</summary>
    public ILocator Row(string agent) => RowIn("leaderboard", agent);

    public ILocator OverallRow(string agent) => RowIn("leaderboard-overall", agent);

    public ILocator EpisodeCount(string agent) => Row(agent).GetByTestId("episodes");

    private ILocator RowIn(string table, string agent) =>
        page.GetByTestId(table).Locator("tbody tr").Filter(new() { Has = page.GetByTestId("agent").GetByText(agent, new() { Exact = true }) }).First;
}
