using System.Globalization;
using ChaosLab.Web.Model;
using Plotly.Blazor;
using PlotlyLayout = Plotly.Blazor.Layout;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using BarMarker = Plotly.Blazor.Traces.BarLib.Marker;
using BoxMarker = Plotly.Blazor.Traces.BoxLib.Marker;
using ScatterLine = Plotly.Blazor.Traces.ScatterLib.Line;
using ScatterMarker = Plotly.Blazor.Traces.ScatterLib.Marker;

namespace ChaosLab.Web.Components.Charts;

/// <summary>
/// Turns a <see cref="ChartFigure"/> (numbers from a view model) into Plotly.Blazor's typed traces
/// and layout in one theme's colours. Nothing is computed here beyond presentation.
/// </summary>
public static class PlotlyFigure
{
    private const string Transparent = "rgba(0,0,0,0)";

    /// <summary>Plotly's config for every chart: resizes with its container, no logo, no lasso or box select.</summary>
    public static Config Config() => new()
    {
        Responsive = true,
        DisplayLogo = false,
        ModeBarButtonsToRemove = new[] { "lasso2d", "select2d" },
    };

    public static IList<ITrace> Traces(ChartFigure figure, ChartTheme theme)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(theme);
        return [.. figure.Traces.Select(t => Trace(t, theme))];
    }

    public static PlotlyLayout Layout(ChartFigure figure, ChartTheme theme)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(theme);
        var options = figure.Layout;
        // Box plots name their boxes on the x axis; a legend would only repeat them.
        var legend = figure.Traces.Count > 1 && !figure.Traces.Any(t => t.Kind == ChartTraceKind.Box);
        return new PlotlyLayout
        {
            PaperBgColor = Transparent,
            PlotBgColor = Transparent,
            Font = new Font { Color = theme.Text, Family = ChartTheme.FontFamily, Size = 12 },
            HoverLabel = new HoverLabel { BgColor = theme.HoverBackground, BorderColor = theme.Grid, Font = new Plotly.Blazor.LayoutLib.HoverLabelLib.Font { Color = theme.Text } },
            Margin = new Margin { L = 48, R = 12, T = 8, B = 36 },
            Colorway = [theme.Primary, .. FaultPalette.Colors],
            ShowLegend = legend,
            // Below the plot and across: many entries wrap into rows under the chart instead of
            // squeezing the plot from the side or the top; past a third of the height they scroll.
            Legend =
            [
                new Legend
                {
                    Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
                    X = 0,
                    XAnchor = Plotly.Blazor.LayoutLib.LegendLib.XAnchorEnum.Left,
                    Y = 0,
                    YRef = Plotly.Blazor.LayoutLib.LegendLib.YRefEnum.Container,
                    YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom,
                    MaxHeight = 0.34m,
                    BgColor = Transparent,
                },
            ],
            BarMode = options.BarMode switch
            {
                "group" => BarModeEnum.Group,
                "stack" => BarModeEnum.Stack,
                _ => null,
            },
            XAxis =
            [
                new XAxis
                {
                    Title = options.XAxisTitle is null ? null : new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = options.XAxisTitle },
                    Type = options.XAxisIsTime ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date
                        : options.XAxisIsCategory ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category : null,
                    // Plotly picks its own tick spacing; a step axis must not show "2.5".
                    TickFormat = options.XAxisIsCount ? "d" : null,
                    DTick = options.XAxisIsCount ? 1 : null,
                    Color = theme.Text,
                    GridColor = theme.Grid,
                    ZeroLineColor = theme.Grid,
                    LineColor = theme.Grid,
                    AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True,
                },
            ],
            YAxis =
            [
                new YAxis
                {
                    Title = options.YAxisTitle is null ? null : new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = options.YAxisTitle },
                    Color = theme.Text,
                    GridColor = theme.Grid,
                    ZeroLineColor = theme.Grid,
                    LineColor = theme.Grid,
                    AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True,
                    RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero,
                    Range = options.YAxisMax is { } max ? [options.YAxisMin, max] : null,
                },
            ],
        };
    }

    private static ITrace Trace(ChartTrace trace, ChartTheme theme) => trace.Kind switch
    {
        ChartTraceKind.Bar => new Bar
        {
            Name = trace.Name,
            X = Objects(trace.X),
            Y = Objects(trace.Y),
            HoverTextArray = trace.Text?.ToList(),
            Marker = trace.PointColors is { } colors ? new BarMarker { ColorArray = Objects(colors) }
                : trace.Color is { } color ? new BarMarker { Color = color } : null,
            ErrorY = trace.ErrorY is { } errors
                ? new Plotly.Blazor.Traces.BarLib.ErrorY { Type = Plotly.Blazor.Traces.BarLib.ErrorYLib.TypeEnum.Data, Array = Objects(errors), Visible = true, Color = theme.Text, Thickness = 1.5m }
                : null,
        },
        // Statistics come precomputed from the view model; plotly only draws them.
        ChartTraceKind.Box => new Box
        {
            Name = trace.Name,
            X = Objects(trace.X),
            Q1 = Objects(Boxes(trace).Select(b => b.Q1)),
            Median = Objects(Boxes(trace).Select(b => b.Median)),
            Q3 = Objects(Boxes(trace).Select(b => b.Q3)),
            LowerFence = Objects(Boxes(trace).Select(b => b.LowerFence)),
            UpperFence = Objects(Boxes(trace).Select(b => b.UpperFence)),
            Mean = Objects(Boxes(trace).Select(b => b.Mean)),
            BoxMean = Plotly.Blazor.Traces.BoxLib.BoxMeanEnum.True,
            HoverTextArray = trace.Text?.ToList(),
            Marker = new BoxMarker { Color = trace.Color ?? theme.Primary },
            Line = new Plotly.Blazor.Traces.BoxLib.Line { Color = trace.Color ?? theme.Primary, Width = 2 },
        },
        _ => Scatter(trace, theme),
    };

    private static Scatter Scatter(ChartTrace trace, ChartTheme theme)
    {
        var scatter = new Scatter
        {
            Name = trace.Name,
            X = Objects(trace.X),
            Y = Objects(trace.Y),
            HoverTextArray = trace.Text?.ToList(),
        };
        switch (trace.Kind)
        {
            case ChartTraceKind.Markers:
                // Markers flag events (e.g. a fault fired), so they take the theme's error colour.
                scatter.Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers;
                scatter.Marker = new ScatterMarker { Size = 12, Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.X, Color = trace.Color ?? theme.Error };
                break;
            case ChartTraceKind.Points:
                scatter.Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers;
                scatter.Marker = new ScatterMarker
                {
                    Size = 12,
                    Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Diamond,
                    Color = trace.Color ?? theme.Primary,
                    Line = new Plotly.Blazor.Traces.ScatterLib.MarkerLib.Line { Color = theme.Text, Width = 1 },
                };
                break;
            default:
                // A line through one point draws nothing: a lone value is shown as a dot.
                scatter.Mode = trace.Y.Count == 1
                    ? Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers
                    : Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines;
                scatter.Line = new ScatterLine { Width = 2, Color = trace.Color };
                if (trace.Kind == ChartTraceKind.Area)
                {
                    scatter.Fill = Plotly.Blazor.Traces.ScatterLib.FillEnum.ToZeroY;
                }

                break;
        }

        return scatter;
    }

    private static IReadOnlyList<ChartBox> Boxes(ChartTrace trace) =>
        trace.Boxes ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Box trace '{trace.Name}' has no box statistics."), nameof(trace));

    private static List<object> Objects<T>(IEnumerable<T> values) => [.. values.Select(v => (object)v!)];
}
