using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// Renders a component to HTML with ASP.NET Core's <see cref="HtmlRenderer"/> (a static render:
/// <c>OnInitialized[Async]</c> and parameters run, <c>OnAfterRender</c> and JS do not) and parses
/// the markup with AngleSharp for assertions.
/// </summary>
public sealed class ComponentRenderer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly HtmlRenderer _renderer;

    public ComponentRenderer(Action<IServiceCollection> configureServices)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IJSRuntime, UnavailableJSRuntime>();
        // Shared controls (StateView, the episode filters) are MudBlazor parts now, also on pages not yet tested with bUnit.
        services.AddDashboardShell();
        configureServices(services);

        // Pages not yet on bUnit still render the shared domain components, which are MudBlazor chips and tooltips now.
        services.AddMudServices();
        services.TryAddSingleton<NavigationManager>(new StaticNavigationManager());

        // Every page names fault kinds, which render from the served suites' data.
        services.TryAddSingleton(new SuiteCatalog([new ToolsSuite()]));
        _services = services.BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
    }

    public async Task<IDocument> RenderAsync<TComponent>(IDictionary<string, object?>? parameters = null)
        where TComponent : IComponent
    {
        var html = await _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await _renderer.RenderComponentAsync<TComponent>(
                parameters is null ? ParameterView.Empty : ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
        return await new HtmlParser().ParseDocumentAsync($"<html><body>{html}</body></html>");
    }

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>A static render has no browser; any JS call is a bug in the component under test.</summary>
    private sealed class UnavailableJSRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException($"JS call '{identifier}' during a static render.");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new InvalidOperationException($"JS call '{identifier}' during a static render.");
    }
}
