using ChaosLab.Core.Environment;

namespace ChaosLab.Web.Model;

/// <summary>
/// One colour per fault kind for charts, the same on every page and in both themes: the served
/// suites' kinds take the palette's colours in the catalog's order (a suite's own order, the
/// first suite first), so a kind keeps its colour as long as the catalog is unchanged.
/// </summary>
public sealed class FaultPalette
{
    /// <summary>
    /// Mid-tone colours (OKLCH lightness 0.52-0.64), each with at least 3:1 contrast on the light
    /// and the dark surface; the first twelve are the most different hues, the next twelve softer
    /// shades between them, and the last eight the colours farthest from all before them (picked
    /// when a second suite brought the served kinds to 25).
    /// </summary>
    public static IReadOnlyList<string> Colors { get; } =
    [
        "#c34f4b", "#3690e3", "#33903c", "#b36bc4", "#a36e09", "#19a0a0", "#bb4e7f", "#929213", "#736ace", "#d26c28", "#168f70", "#089ac3",
        "#be706a", "#4075aa", "#619963", "#8b5d96", "#ac803e", "#138282", "#b96f8c", "#757628", "#8380c3", "#a05f38", "#3d9d80", "#127d9d",
        "#3f774d", "#90636d", "#6288a4", "#94789a", "#688361", "#3f7b04", "#955dbc", "#4278d2",
    ];

    private readonly Dictionary<string, int> _order;

    public FaultPalette(SuiteCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kind in catalog.Suites.SelectMany(s => s.FaultKinds))
        {
            _order.TryAdd(kind.Name, _order.Count);
        }
    }

    /// <summary>
    /// A colour for each of <paramref name="kinds"/>: served kinds their own, others (records of a
    /// suite no longer served) the colours after the served ones, in the order given. Colours repeat
    /// only past <see cref="Colors"/>' length.
    /// </summary>
    public IReadOnlyList<string> ColorsFor(IEnumerable<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var next = _order.Count;
        return [.. kinds.Select(k => Colors[(_order.TryGetValue(k, out var index) ? index : next++) % Colors.Count])];
    }
}
