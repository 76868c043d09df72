using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ChaosLab.Web.Components.Charts;

/// <summary>
/// Draws a <see cref="ChartFigure"/> with plotly.js through <c>js/charts.js</c>. A new figure
/// instance redraws the chart; the same instance does nothing.
/// </summary>
public sealed partial class PlotlyChart : ComponentBase, IAsyncDisposable
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private ChartFigure? _drawn;

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Parameter, EditorRequired]
    public required ChartFigure Figure { get; set; }

    [Parameter, EditorRequired]
    public required string AriaLabel { get; set; }

    [Parameter]
    public int Height { get; set; } = 260;

    [Parameter]
    public string? CssClass { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/charts.js");
        }

        if (_module is not null && !ReferenceEquals(_drawn, Figure))
        {
            _drawn = Figure;
            await _module.InvokeVoidAsync("draw", _element, Figure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null)
        {
            return;
        }

        try
        {
            await _module.InvokeVoidAsync("dispose", _element);
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone and the browser with it: nothing left to clean up.
        }
    }
}
