using Bunit;
using Bunit.TestDoubles;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Components;
using ChaosLab.Web.Components.Layout;
using ChaosLab.Web.Hosting.Authoring;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// The bUnit host for dashboard components: MudBlazor's services as the app registers them,
/// loose JS interop, the served suites' catalog and a navigation manager under <c>/web/</c>.
/// </summary>
/// <remarks>
/// One pattern for every page test: derive from this class, register the page's fakes and its
/// view model, set the address, render, then click/type and assert on roles, labels and
/// <c>data-testid</c> (wait for asynchronous loads with <c>WaitForAssertion</c>):
/// <code>
/// public sealed class LeaderboardPageTests : DashboardTestContext
/// {
///     [Fact]
///     public void Render_TwoAgents_RanksByMeanScore()
///     {
///         Services.AddSingleton&lt;IEpisodeStore&gt;(store);          // the page's fakes first:
///         Services.AddScoped&lt;LeaderboardViewModel&gt;();            // services are fixed at the first render
///         NavigateTo("?suite=tools");                            // address relative to /web/
///
///         var page = RenderPage&lt;Leaderboard&gt;();                 // inside MudBlazor's providers
///
///         page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=agent]").Count));
///         page.Find("[data-testid=filter-apply]").Click();
///         Assert.EndsWith("episodes?suite=tools", Navigation.Uri);
///     }
/// }
/// </code>
/// Notices raised with <see cref="ISnackbar"/> render in <see cref="Snackbars"/>, dialogs in
/// <see cref="Dialogs"/>, menus and selects in <see cref="Popovers"/> (not in the page's markup).
/// JS runs in bUnit's loose mode: every call returns its default unless a test sets it up, e.g.
/// <c>JSInterop.SetupModule("./js/replay.js")</c> for a module to assert on.
/// </remarks>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    private IRenderedComponent<MudPopoverProvider>? _popovers;
    private IRenderedComponent<MudDialogProvider>? _dialogs;
    private IRenderedComponent<MudSnackbarProvider>? _snackbars;
    private bool _started;

    protected DashboardTestContext()
    {
        // MudBlazor calls JS from most components (popovers, resize and theme listeners); none of
        // it matters to a test unless it sets a call up to assert on it.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddDashboardShell();
        // Every page names fault kinds, which render from the served suites' data.
        Services.TryAddSingleton(new SuiteCatalog([new ToolsSuite()]));
        // No admin key unless a test sets one (it then registers its own AdminKey and
        // authorization state): anyone may author, as on a fresh local server.
        Authorization = AddAuthorization();
        Services.TryAddSingleton(new AdminKey(Options.Create(new AuthoringOptions())));
        // As the app registers it; a test that needs to move time registers its own clock after.
        Services.TryAddSingleton(TimeProvider.System);
    }

    /// <summary>bUnit's authentication and authorization state (signed out, no policies) for the test to change.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    public IRenderedComponent<MudPopoverProvider> Popovers => _popovers ?? throw NotRendered();

    public IRenderedComponent<MudDialogProvider> Dialogs => _dialogs ?? throw NotRendered();

    public IRenderedComponent<MudSnackbarProvider> Snackbars => _snackbars ?? throw NotRendered();

    /// <summary>bUnit's fake navigation manager: <c>Uri</c> is where the page navigated, <c>History</c> how.</summary>
    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>Sets the address the next render starts at, relative to the dashboard's base (e.g. <c>episodes/x?step=2</c>).</summary>
    protected void NavigateTo(string relativeUri) => Navigation.NavigateTo(relativeUri);

    /// <summary>Renders <typeparamref name="TPage"/> with MudBlazor's popover, dialog and snackbar providers beside it, as the layout does.</summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        StartInteractive();
        _popovers ??= Render<MudPopoverProvider>();
        _dialogs ??= Render<MudDialogProvider>();
        _snackbars ??= Render<MudSnackbarProvider>();
        return Render(parameters ?? (_ => { }));
    }

    /// <summary>Renders <paramref name="body"/> inside the real <see cref="MainLayout"/> (app bar, drawer, theme, providers, error boundary).</summary>
    protected IRenderedComponent<MainLayout> RenderInLayout(RenderFragment body)
    {
        StartInteractive();
        return Render<MainLayout>(layout => layout.Add(l => l.Body, body));
    }

    /// <summary>
    /// The dashboard runs in the interactive Server render mode and components check
    /// RendererInfo. Set on the first render: touching the renderer earlier would freeze
    /// <c>Services</c> before the test registered its fakes.
    /// </summary>
    private void StartInteractive()
    {
        if (!_started)
        {
            SetRendererInfo(new RendererInfo("Server", isInteractive: true));
            _started = true;
        }
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// xunit 2 disposes a test class synchronously, but several MudBlazor services are only
    /// IAsyncDisposable: dispose asynchronously first (the synchronous call then finds nothing left).
    /// </summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static InvalidOperationException NotRendered() => new("Render a page with RenderPage first.");
}
