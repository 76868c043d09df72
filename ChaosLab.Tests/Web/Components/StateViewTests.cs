using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The loading, empty and error view every page shares, and the not-found page.</summary>
public sealed class StateViewTests : DashboardTestContext
{
    [Fact]
    public void Failed_WithRetry_AlertAnnouncedAndTryAgainCallsBack()
    {
        var retried = 0;
        var view = RenderPage<StateView>(p => p
            .Add(v => v.State, LoadState.Failed)
            .Add(v => v.Error, "The store is gone.")
            .Add(v => v.OnRetry, () => retried++));

        var alert = view.Find("[data-testid=state-error]");
        Assert.Equal("alert", alert.GetAttribute("role"));
        Assert.Contains("The store is gone.", alert.TextContent, StringComparison.Ordinal);

        view.Find("[data-testid=state-error] button").Click();

        Assert.Equal(1, retried);
    }

    [Fact]
    public void Loading_Empty_Ready_EachShowsItsOwnPart()
    {
        var view = RenderPage<StateView>(p => p
            .Add(v => v.State, LoadState.Loading)
            .Add(v => v.LoadingText, "Counting…")
            .Add(v => v.EmptyContent, "Nothing yet.")
            .Add(v => v.ChildContent, "The content."));

        Assert.Equal("status", view.Find("[data-testid=state-loading]").GetAttribute("role"));
        Assert.Contains("Counting…", view.Find("[data-testid=state-loading]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(view.Find("[data-testid=state-loading] .mud-progress-circular"));

        view.Render(p => p.Add(v => v.State, LoadState.Empty));
        Assert.Contains("Nothing yet.", view.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(view.Find("[data-testid=state-empty] svg"));
        Assert.DoesNotContain("The content.", view.Markup, StringComparison.Ordinal);

        view.Render(p => p.Add(v => v.State, LoadState.Ready));
        Assert.Equal("The content.", view.Markup.Trim());
    }

    [Fact]
    public void NotFound_Render_HeadingAndLinkHome()
    {
        var page = RenderPage<NotFound>();

        Assert.Equal("Page not found", page.Find("h1").TextContent.Trim());
        Assert.Equal("", page.Find("[data-testid=not-found-home]").GetAttribute("href"));
    }
}
