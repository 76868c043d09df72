using ChaosLab.Web.Components.Layout;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using PlotlyLayout = Plotly.Blazor.Layout;

namespace ChaosLab.Web.Components.Charts;

/// <summary>
/// Draws a <see cref="ChartFigure"/> with Plotly.Blazor in the layout's light or dark colours.
/// A new figure instance or a theme change redraws the chart; the same instance does nothing.
/// </summary>
public sealed partial class PlotlyChart : ComponentBase
{
    private readonly Config _config = PlotlyFigure.Config();
    private Plotly.Blazor.PlotlyChart? _chart;
    private IList<ITrace> _data = [];
    private PlotlyLayout _layout = new();
    private ChartFigure? _drawnFigure;
    private bool _drawnDark;
    private bool _redraw;

    [Parameter, EditorRequired]
    public required ChartFigure Figure { get; set; }

    [Parameter, EditorRequired]
    public required string AriaLabel { get; set; }

    [Parameter]
    public int Height { get; set; } = 260;

    [Parameter]
    public string? CssClass { get; set; }

    /// <summary>Whether the dashboard is in its dark scheme, from <see cref="MainLayout"/> (light outside it).</summary>
    [CascadingParameter(Name = ChaosLabTheme.IsDarkCascade)]
    public bool IsDark { get; set; }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_drawnFigure, Figure) && _drawnDark == IsDark)
        {
            return;
        }

        var theme = ChartTheme.For(IsDark);
        _data = PlotlyFigure.Traces(Figure, theme);
        _layout = PlotlyFigure.Layout(Figure, theme);
        // The first render draws through Plotly.Blazor's own first render; later ones redraw here.
        _redraw = _drawnFigure is not null;
        _drawnFigure = Figure;
        _drawnDark = IsDark;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_redraw && _chart is not null)
        {
            _redraw = false;
            await _chart.React();
        }
    }
}
