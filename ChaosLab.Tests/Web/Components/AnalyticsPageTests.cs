using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

public sealed class AnalyticsPageTests : DashboardTestContext
{
    private readonly DashboardPageSeed _store = new();

    public AnalyticsPageTests()
    {
        _store.Register(Services);
        Services.AddScoped<AnalyticsViewModel>();
    }

    [Fact]
    public async Task Render_GradedEpisodes_FourChartsWithLabelsAndCoverage()
    {
        await _store.SeedAsync();
        NavigateTo("analytics");

        var page = RenderPage<Analytics>();

        page.WaitForAssertion(() => Assert.Equal("3 graded episodes", page.Find("[data-testid=coverage]").TextContent.Trim()));
        Assert.Equal(4, page.FindAll(".plotly-chart[role=img][aria-label]").Count);
        // The seeded episodes have fault kinds but no recorded steps, so the per-step chart says so.
        Assert.Equal("No fault fired in these episodes.", page.Find("[data-testid=fault-steps-empty]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_FilteredAddress_ListLinkKeepsTheFilters()
    {
        await _store.SeedAsync();
        NavigateTo("analytics?agent=alpha");

        var page = RenderPage<Analytics>();

        page.WaitForAssertion(() => Assert.Equal("2 graded episodes", page.Find("[data-testid=coverage]").TextContent.Trim()));
        Assert.Equal("episodes?agent=alpha", page.Find("[data-testid=list-episodes]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_NoEpisodes_EmptyStateWithoutCharts()
    {
        await _store.MigrateAsync();
        NavigateTo("analytics");

        var page = RenderPage<Analytics>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=state-empty]")));
        Assert.Empty(page.FindAll(".plotly-chart"));
    }

    [Fact]
    public void Render_UnreadableStore_InlineError()
    {
        NavigateTo("analytics");

        var page = RenderPage<Analytics>();

        page.WaitForAssertion(() => Assert.Contains("could not be analysed", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _store.Dispose();
        }
    }
}
