using ChaosLab.Web.Components.Layout;
using MudBlazor;
using MudBlazor.Utilities;

namespace ChaosLab.Web.Components.Charts;

/// <summary>
/// The colours a chart takes from the dashboard's palette: plotly draws into SVG attributes, which
/// cannot read MudBlazor's CSS variables, so the light and dark values are handed over explicitly.
/// </summary>
public sealed record ChartTheme(string Text, string Grid, string Primary, string Error, string HoverBackground)
{
    public const string FontFamily = "Roboto, Helvetica, Arial, sans-serif";

    public static ChartTheme Light { get; } = From(ChaosLabTheme.Theme.PaletteLight);

    public static ChartTheme Dark { get; } = From(ChaosLabTheme.Theme.PaletteDark);

    public static ChartTheme For(bool isDark) => isDark ? Dark : Light;

    private static ChartTheme From(Palette palette) =>
        new(Hex(palette.TextPrimary), Hex(palette.LinesDefault), Hex(palette.Primary), Hex(palette.Error), Hex(palette.Surface));

    private static string Hex(MudColor color) => color.ToString(MudColorOutputFormats.Hex);
}
