namespace ChaosLab.Web.Model;

/// <summary>
/// What a chart shows, computed in C#. <c>Components/Charts/PlotlyChart</c> turns it into typed
/// Plotly.Blazor traces, so the numbers can be unit-tested without a browser.
/// </summary>
public sealed record ChartFigure(IReadOnlyList<ChartTrace> Traces, ChartLayout Layout)
{
    public static ChartFigure Empty { get; } = new([], new ChartLayout());
}

/// <summary>One series. <paramref name="X"/> holds category labels or ISO-8601 times.</summary>
/// <param name="ErrorY">Symmetric error bars: half-widths per point (null: none; 0 where a point has none).</param>
/// <param name="Boxes">For <see cref="ChartTraceKind.Box"/>: precomputed statistics, one per <paramref name="X"/> label (Y is ignored).</param>
/// <param name="Text">Hover text per point.</param>
/// <param name="Color">The series' colour (a CSS hex colour); null takes the theme's.</param>
/// <param name="PointColors">One colour per point (e.g. a bar per fault kind); overrides <paramref name="Color"/>.</param>
public sealed record ChartTrace(
    string Name,
    IReadOnlyList<string> X,
    IReadOnlyList<double> Y,
    ChartTraceKind Kind,
    IReadOnlyList<double>? ErrorY = null,
    IReadOnlyList<ChartBox>? Boxes = null,
    IReadOnlyList<string>? Text = null,
    string? Color = null,
    IReadOnlyList<string>? PointColors = null);

/// <summary>A box plot's numbers, computed in C#; plotly draws them as given.</summary>
public sealed record ChartBox(double LowerFence, double Q1, double Median, double Q3, double UpperFence, double Mean)
{
    /// <summary>True when the box and whiskers have no height (every value equal): drawn alone it is a line lost on the axis.</summary>
    public bool IsFlat => UpperFence - LowerFence < 1e-9;
}

/// <param name="BarMode">"group" or "stack" when several bar traces share categories.</param>
/// <param name="YAxisMax">Fixes the y axis to [<paramref name="YAxisMin"/>, max] (e.g. 1 for scores, 100 for percentages).</param>
/// <param name="YAxisMin">The y axis' lower end when <paramref name="YAxisMax"/> fixes it (below 0 keeps a value of 0 off the axis line).</param>
/// <param name="XAxisIsCount">The x values are whole numbers (step indexes): ticks on integers only, never "2.5".</param>
public sealed record ChartLayout(
    string? XAxisTitle = null,
    string? YAxisTitle = null,
    bool XAxisIsTime = false,
    string? BarMode = null,
    double? YAxisMax = null,
    bool XAxisIsCategory = false,
    double YAxisMin = 0,
    bool XAxisIsCount = false);

public enum ChartTraceKind
{
    Line,
    Area,
    Bar,
    Box,

    /// <summary>Points only, e.g. to mark events on top of another series.</summary>
    Markers,

    /// <summary>Values as large dots in the series colour, e.g. where a box has no height to draw.</summary>
    Points,
}
