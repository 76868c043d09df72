using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the analytics and compare pages, in one place.</summary>
public sealed class DashboardPages(IPage page)
{
    public ILocator Heading => page.Locator("h1");

    // Analytics
    /// <summary>A chart plotly drew (it adds <c>js-plotly-plot</c> and an SVG to the container).</summary>
    public ILocator Chart(string cssClass) => page.Locator($".{cssClass}.js-plotly-plot .main-svg").First;

    // Compare
    public ILocator MeanDelta => page.GetByTestId("mean-delta");

    public ILocator PairDifferences => page.GetByTestId("pair-differences").Locator("tbody tr");
}
