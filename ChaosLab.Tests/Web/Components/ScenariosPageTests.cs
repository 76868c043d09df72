using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model.Studio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The scenarios list over a fake studio: rows, filters in the URL, and the clone dialog.</summary>
public sealed class ScenariosPageTests : DashboardTestContext
{
    private readonly FakeScenarioStudio _studio = new();

    public ScenariosPageTests()
    {
        _studio.Rows.AddRange(
        [
            FakeScenarioStudio.Row("W05", ScenarioStatus.BuiltIn, tier: "warmup", meanScore: 0.8125, episodes: 1234),
            FakeScenarioStudio.Row("my-pop-1", ScenarioStatus.Published, family: "revenue"),
            FakeScenarioStudio.Row("my-pop-2", ScenarioStatus.Draft),
        ]);
        Services.AddSingleton<IScenarioStudio>(_studio);
        Services.AddScoped<ScenarioListViewModel>();
        // bUnit grants no policy by default; the app grants this one to everyone when no key is set.
        Authorization.SetAuthorized("ada");
        Authorization.SetPolicies(StudioPolicies.Author);
    }

    [Fact]
    public void Render_KeySetSignedOut_NoCloneAndNoNewScenario()
    {
        Authorization.SetNotAuthorized();
        Authorization.SetPolicies();
        Services.AddSingleton(new AdminKey(Options.Create(new AuthoringOptions { AdminKey = "a-key-of-enough-length" })));
        NavigateTo("scenarios");

        var page = RenderPage<Scenarios>();

        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
        Assert.Empty(page.FindAll("[data-testid=clone], [data-testid=new-scenario]"));
    }

    [Fact]
    public void Render_ThreeScenarios_RowsLinkToTheirPageWithStatusChipsAndScores()
    {
        NavigateTo("scenarios");

        var page = RenderPage<Scenarios>();

        page.WaitForAssertion(() => Assert.Equal(["W05", "my-pop-1", "my-pop-2"], Rows(page).Select(Id)));
        Assert.Equal(["built_in", "published", "draft"], Rows(page).Select(r => r.QuerySelector("[data-testid=status]")!.GetAttribute("data-status")));
        Assert.Equal(["built-in", "published", "draft"], Rows(page).Select(r => Text(r, "status")));
        var builtIn = Rows(page)[0];
        Assert.Equal("scenarios/W05", builtIn.QuerySelector("[data-testid=scenario-link]")!.GetAttribute("href"));
        Assert.Equal(("0.813", "1,234", "–"), (Text(builtIn, "mean-score"), Text(builtIn, "episodes"), Text(builtIn, "author")));
        Assert.Equal(("–", "ada"), (Text(Rows(page)[1], "mean-score"), Text(Rows(page)[1], "author")));
        Assert.Equal("3 scenarios", page.Find("[data-testid=scenario-total]").TextContent);
    }

    [Fact]
    public async Task TierFilter_Chosen_UrlHoldsItAndRowsFollow()
    {
        NavigateTo("scenarios?status=built_in");
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.Equal(["W05"], Rows(page).Select(Id)));

        await ChooseAsync(page, "Status", "draft");

        page.WaitForAssertion(() => Assert.Equal("?status=draft", new Uri(Navigation.Uri).Query));
        page.WaitForAssertion(() => Assert.Equal(["my-pop-2"], Rows(page).Select(Id)));
        await ChooseAsync(page, "Tier", "beginner");
        page.WaitForAssertion(() => Assert.Equal("?status=draft&tier=beginner", new Uri(Navigation.Uri).Query));
        Assert.Equal("beginner", page.Find("[data-testid=filter-tier]").GetAttribute("data-value"));
    }

    [Fact]
    public void SearchText_Entered_UrlHoldsItAndRowsFollow()
    {
        NavigateTo("scenarios?family=population");
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.Equal(["W05", "my-pop-2"], Rows(page).Select(Id)));

        page.Find("input[data-testid=filter-text]").Change("POP");

        page.WaitForAssertion(() => Assert.Equal("?family=population&q=POP", new Uri(Navigation.Uri).Query));
        page.WaitForAssertion(() => Assert.Equal(["my-pop-2"], Rows(page).Select(Id)));
        Assert.Equal("1 scenario", page.Find("[data-testid=scenario-total]").TextContent);
    }

    [Fact]
    public void Url_UnknownStatus_NamesTheValidValuesAndListsEverything()
    {
        NavigateTo("scenarios?status=retired");

        var page = RenderPage<Scenarios>();

        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
        Assert.Equal("Unknown status 'retired'. Valid values: built_in, published, draft.", page.Find("[data-testid=url-error]").TextContent);
    }

    [Fact]
    public void Url_FiltersMatchNothing_EmptyStateLinksToTheUnfilteredList()
    {
        NavigateTo("scenarios?q=nothing-like-this");

        var page = RenderPage<Scenarios>();

        page.WaitForAssertion(() => Assert.Contains("No scenario matches these filters", page.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal));
        Assert.Equal("scenarios", page.Find("[data-testid=state-empty] a").GetAttribute("href"));
    }

    [Fact]
    public void Render_StudioFails_ErrorWithTryAgain()
    {
        _studio.ListFailure = new InvalidOperationException("database is locked");
        NavigateTo("scenarios");

        var page = RenderPage<Scenarios>();

        page.WaitForAssertion(() => Assert.Contains("could not be read: database is locked", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Clone_FreeId_CreatesTheDraftAndOpensItsPage()
    {
        NavigateTo("scenarios");
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        Rows(page)[0].QuerySelector("[data-testid=clone]")!.Click();
        Dialogs.WaitForAssertion(() => Assert.Equal("W05", Dialogs.Find("[data-testid=clone-source-id]").TextContent));
        Assert.Equal("W05-copy", Dialogs.Find("input[data-testid=clone-new-id]").GetAttribute("value"));
        Dialogs.Find("input[data-testid=clone-new-id]").Input("w05-harder");
        Dialogs.Find("input[data-testid=clone-author]").Input("grace");
        Dialogs.Find("[data-testid=clone-submit]").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/scenarios/w05-harder", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal(("W05", "w05-harder", "grace"), Assert.Single(_studio.Clones));
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=clone-submit]")));
    }

    [Fact]
    public void Clone_TakenId_ConflictShownInTheDialogWhichStaysOpen()
    {
        NavigateTo("scenarios");
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        Rows(page)[0].QuerySelector("[data-testid=clone]")!.Click();
        Dialogs.WaitForElement("input[data-testid=clone-new-id]").Input("my-pop-1");
        Dialogs.Find("[data-testid=clone-submit]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal("That id is taken: 'my-pop-1' is taken", Dialogs.Find("[data-testid=clone-error]").TextContent.Trim()));
        Assert.EndsWith("/scenarios", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(3, _studio.Rows.Count);
    }

    [Fact]
    public async Task NewScenario_SourcePicked_ClonesThePickedScenario()
    {
        NavigateTo("scenarios");
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        page.Find("[data-testid=new-scenario]").Click();
        Dialogs.WaitForElement("[data-testid=clone-submit]").Click();
        Dialogs.WaitForAssertion(() => Assert.Equal("Pick the scenario to start from.", Dialogs.Find("[data-testid=clone-error]").TextContent.Trim()));

        var select = Dialogs.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Start from");
        await select.InvokeAsync(select.Instance.OpenMenu);
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim().StartsWith("my-pop-1 ", StringComparison.Ordinal)).Click());
        Dialogs.WaitForAssertion(() => Assert.Equal("my-pop-1-copy", Dialogs.Find("input[data-testid=clone-new-id]").GetAttribute("value")));
        Dialogs.Find("[data-testid=clone-submit]").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/scenarios/my-pop-1-copy", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal(("my-pop-1", "my-pop-1-copy", null), Assert.Single(_studio.Clones));
    }

    private static List<IElement> Rows(IRenderedComponent<Scenarios> page) => [.. page.FindAll("[data-testid=scenarios] tbody tr").Where(r => r.QuerySelector("[data-testid=scenario-link]") is not null)];

    private static string Id(IElement row) => row.QuerySelector("[data-testid=scenario-link]")!.TextContent.Trim();

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    /// <summary>Opens a filter's drop-down and clicks an option, as a person does.</summary>
    private async Task ChooseAsync(IRenderedComponent<Scenarios> page, string label, string option)
    {
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        await select.InvokeAsync(select.Instance.OpenMenu);
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == option).Click());
    }
}
