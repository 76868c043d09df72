using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the status page, in one place.</summary>
public sealed class StatusPage(IPage page)
{
    public const string Path = "/web/status";

    public ILocator Heading => page.Locator("h1");

    public ILocator EpisodeCount => page.GetByTestId("episode-count");

    public ILocator LiveState => page.GetByTestId("live-state");

    public ILocator ToggleLive => page.GetByTestId("toggle-live");

    /// <summary>The plot plotly.js drew (it adds <c>js-plotly-plot</c> and an SVG to the container).</summary>
    public ILocator Chart => page.Locator(".rate-chart.js-plotly-plot .main-svg").First;

    /// <summary>Sum of the y values plotly currently shows, read from the plot's own data.</summary>
    public Task<double> ChartTotalAsync() => page.EvaluateAsync<double>(
        "() => (document.querySelector('.rate-chart').data?.[0]?.y ?? []).reduce((a, b) => a + b, 0)");
}
