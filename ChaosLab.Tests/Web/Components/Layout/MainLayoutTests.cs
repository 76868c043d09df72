using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Components.Layout;
using ChaosLab.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace ChaosLab.Tests.Web.Components.Layout;

public sealed class MainLayoutTests : DashboardTestContext
{
    private readonly BunitJSModuleInterop _themeModule;

    public MainLayoutTests()
    {
        Services.AddSingleton<SeedingProgress>();
        Services.AddSingleton(TimeProvider.System);
        _themeModule = JSInterop.SetupModule("./js/theme.js");
        _themeModule.SetupVoid("applyTheme", _ => true).SetVoidResult();
    }

    [Fact]
    public void Render_AnyPage_DrawerLinksEveryPageByRelativeAddress()
    {
        var layout = RenderLayout(Text("body"));

        var links = layout.FindAll("nav[aria-label='Main navigation'] a");

        Assert.Equal(
            [("Leaderboard", ""), ("Episodes", "episodes"), ("Analytics", "analytics"), ("Scenarios", "scenarios"), ("Curricula", "curricula"), ("Compare", "compare"), ("Runs", "runs"), ("Status", "status"), ("Playground", "playground")],
            links.Select(link => (link.TextContent.Trim(), link.GetAttribute("href"))));
        Assert.Equal("Open navigation", layout.Find("[data-testid=nav-toggle]").GetAttribute("aria-label"));
    }

    [Fact]
    public void MenuButton_Clicked_TogglesTheDrawer()
    {
        var layout = RenderLayout(Text("body"));
        var drawer = layout.FindComponent<MudDrawer>();
        var wasOpen = drawer.Instance.GetState(x => x.Open);

        layout.Find("[data-testid=nav-toggle]").Click();

        Assert.Equal(!wasOpen, drawer.Instance.GetState(x => x.Open));
        Assert.Equal(wasOpen ? "false" : "true", layout.Find("[data-testid=nav-toggle]").GetAttribute("aria-expanded"));

        layout.Find("[data-testid=nav-toggle]").Click();

        Assert.Equal(wasOpen, drawer.Instance.GetState(x => x.Open));
    }

    [Fact]
    public void ThemeToggle_NothingStoredOnALightSystem_CyclesLightDarkSystemAndRemembersEach()
    {
        _themeModule.Setup<string?>("storedMode").SetResult(null);
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(false);
        var layout = RenderLayout(Text("body"));
        var toggle = () => layout.Find("[data-testid=theme-toggle]");
        layout.WaitForAssertion(() => Assert.Equal("true", toggle().GetAttribute("data-interactive")));
        AssertLastApplied("system", false);

        toggle().Click();
        AssertLastApplied("light", false);
        Assert.False(ThemeProvider(layout).GetState(x => x.IsDarkMode));

        toggle().Click();
        AssertLastApplied("dark", true);
        Assert.True(ThemeProvider(layout).GetState(x => x.IsDarkMode));
        Assert.Equal("dark", toggle().GetAttribute("data-theme-mode"));

        toggle().Click();
        AssertLastApplied("system", false);
        Assert.False(ThemeProvider(layout).GetState(x => x.IsDarkMode));
        Assert.True(ThemeProvider(layout).GetState(x => x.ObserveSystemDarkModeChange));
    }

    [Fact]
    public void Render_DarkStoredOnALightSystem_StartsDarkAndStopsFollowingTheSystem()
    {
        _themeModule.Setup<string?>("storedMode").SetResult("dark");
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(false);

        var layout = RenderLayout(Text("body"));

        layout.WaitForAssertion(() => Assert.Equal("dark", layout.Find("[data-testid=theme-toggle]").GetAttribute("data-theme-mode")));
        Assert.True(ThemeProvider(layout).GetState(x => x.IsDarkMode));
        Assert.False(ThemeProvider(layout).GetState(x => x.ObserveSystemDarkModeChange));
        AssertLastApplied("dark", true);
    }

    [Fact]
    public async Task SystemTurnsDark_FollowingTheSystem_LayoutAndPageSchemeFollow()
    {
        _themeModule.Setup<string?>("storedMode").SetResult(null);
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(false);
        var layout = RenderLayout(Text("body"));
        layout.WaitForAssertion(() => Assert.Equal("true", layout.Find("[data-testid=theme-toggle]").GetAttribute("data-interactive")));

        // What MudBlazor's media-query listener calls when the system's scheme changes.
        await layout.InvokeAsync(() => ThemeProvider(layout).SystemDarkModeChangedAsync(true));

        Assert.True(ThemeProvider(layout).GetState(x => x.IsDarkMode));
        AssertLastApplied("system", true);
    }

    [Fact]
    public void ErrorBoundary_PageThrows_AlertWithTryAgainThatRecovers()
    {
        FailingPage.Fail = true;
        var layout = RenderLayout(Component<FailingPage>());

        var alert = layout.Find("[data-testid=page-error]");
        Assert.Contains("This page failed", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains(FailingPage.Message, alert.TextContent, StringComparison.Ordinal);
        Assert.Equal("alert", alert.GetAttribute("role"));

        FailingPage.Fail = false;
        layout.FindAll("button").Single(b => b.TextContent.Trim() == "Try again").Click();

        Assert.Empty(layout.FindAll("[data-testid=page-error]"));
        Assert.Equal("recovered", layout.Find("[data-testid=failing-page]").TextContent);
    }

    [Fact]
    public void Snackbar_PageRaisesANotice_ShownByTheLayoutWithAClose()
    {
        var layout = RenderLayout(Component<NoticePage>());

        layout.Find("[data-testid=raise-notice]").Click();

        var notice = layout.WaitForElement(".mud-snackbar");
        Assert.Contains("Graded: correct.", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-filled-success", notice.ClassName, StringComparison.Ordinal);
        Assert.NotNull(notice.QuerySelector("button"));
    }

    private static RenderFragment Text(string text) => builder => builder.AddContent(0, text);

    private static RenderFragment Component<TComponent>()
        where TComponent : IComponent => builder =>
    {
        builder.OpenComponent<TComponent>(0);
        builder.CloseComponent();
    };

    private static MudThemeProvider ThemeProvider(IRenderedComponent<MainLayout> layout) =>
        layout.FindComponents<MudThemeProvider>().Single(p => ReferenceEquals(p.Instance.Theme, ChaosLabTheme.Theme)).Instance;

    private IRenderedComponent<MainLayout> RenderLayout(RenderFragment body) => RenderInLayout(body);

    private void AssertLastApplied(string mode, bool dark)
    {
        var call = _themeModule.Invocations["applyTheme"][^1];
        Assert.Equal([mode, dark], call.Arguments);
    }

    /// <summary>A page that fails to render while <see cref="Fail"/> is set.</summary>
    private sealed class FailingPage : ComponentBase
    {
        public const string Message = "The store is unreachable.";

        public static bool Fail { get; set; }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            if (Fail)
            {
                throw new InvalidOperationException(Message);
            }

            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "failing-page");
            builder.AddContent(2, "recovered");
            builder.CloseElement();
        }
    }

    /// <summary>A page that raises a notice when its button is clicked, as the playground does after grading.</summary>
    private sealed class NoticePage : ComponentBase
    {
        [Inject]
        public required ISnackbar Snackbar { get; init; }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "data-testid", "raise-notice");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, () => Snackbar.Add("Graded: correct.", Severity.Success)));
            builder.AddContent(3, "Submit");
            builder.CloseElement();
        }
    }
}
