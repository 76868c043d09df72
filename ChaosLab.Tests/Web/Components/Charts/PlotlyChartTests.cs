using Bunit;
using Microsoft.AspNetCore.Components;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Charts;
using ChaosLab.Web.Components.Layout;
using ChaosLab.Web.Model;
using Plotly.Blazor.LayoutLib.LegendLib;
using Plotly.Blazor.Traces;

namespace ChaosLab.Tests.Web.Components.Charts;

public sealed class PlotlyChartTests : DashboardTestContext
{
    private static readonly ChartFigure Bars = new(
        [
            new ChartTrace("timeout", ["1", "2"], [1, 2], ChartTraceKind.Bar, Color: "#c34f4b"),
            new ChartTrace("recovered", ["x", "y"], [50, 100], ChartTraceKind.Bar, ErrorY: [0.1, 0.2], PointColors: ["#3690e3", "#33903c"]),
        ],
        new ChartLayout("step index", "fired faults", BarMode: "stack", YAxisMax: 100, XAxisIsCategory: true));

    [Fact]
    public void Layout_DarkTheme_TransparentBackgroundAndPaletteTextAndGrid()
    {
        var layout = PlotlyFigure.Layout(Bars, ChartTheme.Dark);

        Assert.Equal("rgba(0,0,0,0)", layout.PaperBgColor);
        Assert.Equal("rgba(0,0,0,0)", layout.PlotBgColor);
        Assert.Equal(ChaosLabTheme.Theme.PaletteDark.TextPrimary.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex), layout.Font.Color);
        Assert.Equal(ChartTheme.Dark.Grid, layout.YAxis.Single().GridColor);
        Assert.NotEqual(ChartTheme.Light.Text, ChartTheme.Dark.Text);
        Assert.Equal([0.0, 100.0], layout.YAxis.Single().Range);
    }

    [Fact]
    public void Layout_CountAxis_TicksOnWholeNumbersOnly()
    {
        var steps = new ChartFigure([new ChartTrace("reward", ["0", "1", "2"], [0, 0.5, 1], ChartTraceKind.Line)], new ChartLayout("step", "reward", XAxisIsCount: true));

        var counted = PlotlyFigure.Layout(steps, ChartTheme.Light).XAxis.Single();
        var free = PlotlyFigure.Layout(Bars, ChartTheme.Light).XAxis.Single();

        Assert.Equal(("d", (object?)1), (counted.TickFormat, counted.DTick));
        Assert.Equal((null, (object?)null), (free.TickFormat, free.DTick));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, false)]
    public void Traces_LineWithOnePoint_DrawsItAsADot(int points, bool marked)
    {
        var values = Enumerable.Range(1, points).Select(i => (double)i).ToList();
        var figure = new ChartFigure([new ChartTrace("tier", [.. values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))], values, ChartTraceKind.Line)], new ChartLayout());

        var line = Assert.IsType<Scatter>(Assert.Single(PlotlyFigure.Traces(figure, ChartTheme.Light)));

        Assert.Equal(marked, line.Mode!.Value.HasFlag(Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers));
        Assert.True(line.Mode!.Value.HasFlag(Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines));
    }

    [Fact]
    public void Layout_SeveralSeries_LegendAcrossBelowThePlot()
    {
        var legend = PlotlyFigure.Layout(Bars, ChartTheme.Light).Legend.Single();

        Assert.True(PlotlyFigure.Layout(Bars, ChartTheme.Light).ShowLegend);
        Assert.Equal(OrientationEnum.H, legend.Orientation);
        Assert.Equal((0m, YRefEnum.Container, YAnchorEnum.Bottom), (legend.Y!.Value, legend.YRef!.Value, legend.YAnchor!.Value));
        Assert.True(legend.MaxHeight < 0.5m, "a long legend scrolls instead of taking the plot's height");
    }

    [Fact]
    public void Traces_ColoursAndErrorBarsFromTheFigure()
    {
        var traces = PlotlyFigure.Traces(Bars, ChartTheme.Light);

        var stacked = Assert.IsType<Bar>(traces[0]);
        Assert.Equal("#c34f4b", stacked.Marker.Color);
        var recovered = Assert.IsType<Bar>(traces[1]);
        Assert.Equal(["#3690e3", "#33903c"], recovered.Marker.ColorArray);
        Assert.Equal([0.1, 0.2], recovered.ErrorY.Array);
    }

    [Fact]
    public void Traces_BoxWithAFlatPoint_StatisticsAsGivenAndAVisibleDiamond()
    {
        var figure = new ChartFigure(
            [
                new ChartTrace("score", ["zero-bot"], [0], ChartTraceKind.Box, Boxes: [new ChartBox(0, 0, 0, 0, 0, 0)]),
                new ChartTrace("all scores equal", ["zero-bot"], [0], ChartTraceKind.Points),
            ],
            new ChartLayout(YAxisMax: 1.05, YAxisMin: -0.05));

        var traces = PlotlyFigure.Traces(figure, ChartTheme.Light);
        var layout = PlotlyFigure.Layout(figure, ChartTheme.Light);

        var box = Assert.IsType<Box>(traces[0]);
        Assert.Equal([0.0], box.Median);
        var point = Assert.IsType<Scatter>(traces[1]);
        Assert.Equal(Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Diamond, point.Marker.Symbol);
        Assert.True(point.Marker.Size >= 10);
        Assert.Equal([-0.05, 1.05], layout.YAxis.Single().Range);
        Assert.False(layout.ShowLegend);
    }

    [Fact]
    public void Render_Figure_ChartDivWithClassLabelAndHeight()
    {
        var chart = Render<PlotlyChart>(p => p.Add(c => c.Figure, Bars).Add(c => c.AriaLabel, "Faults by step").Add(c => c.CssClass, "chart-fault-steps").Add(c => c.Height, 380));

        var div = chart.Find(".plotly-chart.chart-fault-steps[role=img]");
        Assert.Equal("Faults by step", div.GetAttribute("aria-label"));
        Assert.Equal("height: 380px", div.GetAttribute("style"));
    }

    [Fact]
    public void Render_ThemeTurnsDark_ChartRedrawnInDarkColours()
    {
        var host = Render<CascadingValue<bool>>(p => Host(p, isDark: false));
        var plotly = host.FindComponent<Plotly.Blazor.PlotlyChart>();
        Assert.Equal(ChartTheme.Light.Text, plotly.Instance.Layout.Font.Color);
        var reactsBefore = JSInterop.Invocations.Count(i => i.Identifier == "react");

        host.Render(p => Host(p, isDark: true));

        Assert.Same(plotly.Instance, host.FindComponent<Plotly.Blazor.PlotlyChart>().Instance);
        Assert.Equal(ChartTheme.Dark.Text, plotly.Instance.Layout.Font.Color);
        host.WaitForAssertion(() => Assert.True(JSInterop.Invocations.Count(i => i.Identifier == "react") > reactsBefore));
    }

    // The layout's cascade around a chart, as MainLayout provides it.
    private static void Host(ComponentParameterCollectionBuilder<CascadingValue<bool>> host, bool isDark) => host
        .Add(c => c.Name, ChaosLabTheme.IsDarkCascade)
        .Add(c => c.Value, isDark)
        .AddChildContent<PlotlyChart>(chart => chart.Add(c => c.Figure, Bars).Add(c => c.AriaLabel, "Faults by step"));
}
