using System.Text.Json.Serialization;

namespace ChaosLab.Web.Components.Charts;

/// <summary>
/// What a chart shows, computed in C#. <c>charts.js</c> turns it into a plotly figure, so the
/// numbers can be unit-tested without a browser.
/// </summary>
public sealed record ChartFigure(IReadOnlyList<ChartTrace> Traces, ChartLayout Layout)
{
    public static ChartFigure Empty { get; } = new([], new ChartLayout());
}

/// <summary>One series. <paramref name="X"/> holds category labels or ISO-8601 times.</summary>
public sealed record ChartTrace(string Name, IReadOnlyList<string> X, IReadOnlyList<double> Y, ChartTraceKind Kind);

public sealed record ChartLayout(string? XAxisTitle = null, string? YAxisTitle = null, bool XAxisIsTime = false);

[JsonConverter(typeof(JsonStringEnumConverter<ChartTraceKind>))]
public enum ChartTraceKind
{
    Line,
    Area,
    Bar,

    /// <summary>Points only, e.g. to mark events on top of another series.</summary>
    Markers,
}
