using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the curricula list and of one curriculum's page.</summary>
public sealed class CurriculaPages(IPage page)
{
    public const string Path = "/web/curricula";

    public ILocator Heading => page.Locator("h1");

    public ILocator Rows => page.GetByTestId("curricula").Locator("tbody tr");

    public ILocator NameLink(string name) => page.GetByTestId("curricula").GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator SummaryTier => page.GetByTestId("curriculum-summary").GetByTestId("tier");

    public ILocator DecisionTiers => page.GetByTestId("decision-tier");

    public ILocator TierChart => page.Locator(".chart-curriculum-tier");
}
