using System.Text.Json.Serialization;

namespace ChaosLab.Web.Model;

/// <summary>
/// What a chart shows, computed in C#. <c>charts.js</c> turns it into a plotly figure, so the
/// numbers can be unit-tested without a browser.
/// </summary>
public sealed record ChartFigure(IReadOnlyList<ChartTrace> Traces, ChartLayout Layout)
{
    public static ChartFigure Empty { get; } = new([], new ChartLayout());
}

/// <summary>One series. <paramref name="X"/> holds category labels or ISO-8601 times.</summary>
/// <param name="ErrorY">Symmetric error bars: half-widths per point (null: none; 0 where a point has none).</param>
/// <param name="Boxes">For <see cref="ChartTraceKind.Box"/>: precomputed statistics, one per <paramref name="X"/> label (Y is ignored).</param>
/// <param name="Text">Hover text per point.</param>
public sealed record ChartTrace(
    string Name,
    IReadOnlyList<string> X,
    IReadOnlyList<double> Y,
    ChartTraceKind Kind,
    IReadOnlyList<double>? ErrorY = null,
    IReadOnlyList<ChartBox>? Boxes = null,
    IReadOnlyList<string>? Text = null);

/// <summary>A box plot's numbers, computed in C#; plotly draws them as given.</summary>
public sealed record ChartBox(double LowerFence, double Q1, double Median, double Q3, double UpperFence, double Mean);

/// <param name="BarMode">"group" or "stack" when several bar traces share categories.</param>
/// <param name="YAxisMax">Fixes the y axis to [0, max] (e.g. 1 for scores, 100 for percentages).</param>
public sealed record ChartLayout(
    string? XAxisTitle = null, string? YAxisTitle = null, bool XAxisIsTime = false, string? BarMode = null, double? YAxisMax = null, bool XAxisIsCategory = false);

[JsonConverter(typeof(JsonStringEnumConverter<ChartTraceKind>))]
public enum ChartTraceKind
{
    Line,
    Area,
    Bar,
    Box,

    /// <summary>Points only, e.g. to mark events on top of another series.</summary>
    Markers,
}
