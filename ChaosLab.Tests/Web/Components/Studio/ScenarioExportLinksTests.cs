using Bunit;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model.Studio;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>The scenarios list's Export menu: download links to the export route for what the list shows.</summary>
public sealed class ScenarioExportLinksTests : DashboardTestContext
{
    private readonly FakeScenarioStudio _studio = new();

    public ScenarioExportLinksTests()
    {
        _studio.Rows.AddRange(
        [
            FakeScenarioStudio.Row("W05", ScenarioStatus.BuiltIn),
            FakeScenarioStudio.Row("my pop/1", ScenarioStatus.Published),
            FakeScenarioStudio.Row("my-pop-2", ScenarioStatus.Draft),
            FakeScenarioStudio.Row("my-rev-1", ScenarioStatus.Published, family: "revenue"),
            FakeScenarioStudio.Row("unpublished", ScenarioStatus.Draft) with { PublishedVersion = null },
        ]);
        Services.AddSingleton<IScenarioStudio>(_studio);
        Services.AddScoped<ScenarioListViewModel>();
    }

    [Fact]
    public void Export_FilteredRows_LinksNameThePublishedOnesShownAndAllStoredAreOffered()
    {
        var page = Render("scenarios?family=population");

        OpenMenu(page);

        Assert.Equal("/api/scenarios/export?id=my%20pop%2F1&id=my-pop-2&format=json", Href("export-shown-json"));
        Assert.Equal("/api/scenarios/export?id=my%20pop%2F1&id=my-pop-2&format=zip", Href("export-shown-zip"));
        Assert.Equal("The 2 published scenarios shown as JSON", Popovers.Find("[data-testid=export-shown-json]").TextContent.Trim());
        Assert.Equal("/api/scenarios/export?format=json", Href("export-all-json"));
        Assert.Equal("/api/scenarios/export?format=zip", Href("export-all-zip"));
        Assert.Equal("All 3 stored scenarios as zip", Popovers.Find("[data-testid=export-all-zip]").TextContent.Trim());
        Assert.True(Popovers.Find("[data-testid=export-shown-zip]").HasAttribute("download"));
        Assert.Equal(ScenarioExportMenu.BuiltInNote, page.FindComponent<MudTooltip>().Instance.Text);
    }

    [Fact]
    public void Export_Unfiltered_OneChoiceForEveryStoredScenarioWithoutIds()
    {
        var page = Render("scenarios");

        OpenMenu(page);

        Assert.Equal("/api/scenarios/export?format=zip", Href("export-shown-zip"));
        Assert.Equal("All 3 published scenarios as zip", Popovers.Find("[data-testid=export-shown-zip]").TextContent.Trim());
        Assert.Empty(Popovers.FindAll("[data-testid=export-all-json]"));
    }

    [Fact]
    public void Export_NothingPublishedShown_DisabledAndTheTooltipSaysWhy()
    {
        var page = Render("scenarios?status=built_in");

        Assert.True(page.Find("[data-testid=export] button").HasAttribute("disabled"));
        var reason = page.FindComponent<MudTooltip>().Instance.Text;
        Assert.StartsWith("No published scenario in view. Built-in scenarios are never exported: every build has them.", reason, StringComparison.Ordinal);
        Assert.EndsWith("Clear the filters to export every stored scenario.", reason, StringComparison.Ordinal);
    }

    private IRenderedComponent<Scenarios> Render(string address)
    {
        NavigateTo(address);
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=scenario-link]")));
        return page;
    }

    private void OpenMenu(IRenderedComponent<Scenarios> page)
    {
        page.Find("[data-testid=export] button").Click();
        Popovers.WaitForElement("[data-testid=export-shown-json]");
    }

    private string? Href(string testId) => Popovers.Find($"[data-testid={testId}]").GetAttribute("href");
}
