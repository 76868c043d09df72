using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Layout;
using ChaosLab.Web.Model;
using MudBlazor.Utilities;

namespace ChaosLab.Tests.Web.Model;

public sealed class FaultPaletteTests
{
    /// <summary>Far enough apart in OKLab (about twice a just-noticeable difference) to tell two kinds apart in a legend.</summary>
    private const double MinimumDistance = 0.04;

    [Fact]
    public void ColorsFor_EveryKindOfTheServedSuites_DistinctColours()
    {
        // Every kind the host serves (tools and mast) and a third suite's.
        var catalog = new SuiteCatalog([new ToolsSuite(), new KindsOnlySuite(MastFaultKinds.All), new ToySuite("toy")]);
        var kinds = catalog.Suites.SelectMany(s => s.FaultKinds).Select(k => k.Name).Distinct().ToArray();

        var colors = new FaultPalette(catalog).ColorsFor(kinds);

        Assert.Equal(kinds.Length, colors.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // The pair the issue found sharing a blue.
        Assert.NotEqual(colors[Array.IndexOf(kinds, "value_corruption")], colors[Array.IndexOf(kinds, "conflicting_duplicate")]);
    }

    [Fact]
    public void ColorsFor_SameKindInAnyOrder_SameColourByCatalogOrder()
    {
        var palette = new FaultPalette(new SuiteCatalog([new ToolsSuite()]));
        var names = ToolsFaultKinds.All.Select(k => k.Name).ToArray();

        var inCatalogOrder = palette.ColorsFor(names);
        var reversed = palette.ColorsFor(names.Reverse());

        Assert.Equal(FaultPalette.Colors.Take(names.Length), inCatalogOrder);
        Assert.Equal(inCatalogOrder.Reverse(), reversed);
        Assert.Equal(palette.ColorsFor(["value_corruption"]), new FaultPalette(new SuiteCatalog([new ToolsSuite()])).ColorsFor(["value_corruption"]));
    }

    [Fact]
    public void ColorsFor_KindsNoSuiteServes_TakeTheColoursAfterTheServedOnes()
    {
        var palette = new FaultPalette(new SuiteCatalog([new ToolsSuite()]));

        var colors = palette.ColorsFor(["retired_kind", "timeout", "another_retired_kind"]);

        var served = ToolsFaultKinds.All.Count;
        Assert.Equal([FaultPalette.Colors[served], FaultPalette.Colors[0], FaultPalette.Colors[served + 1]], colors);
    }

    [Fact]
    public void Colors_EveryColour_ReadableOnTheLightAndTheDarkSurface()
    {
        var light = ChaosLabTheme.Theme.PaletteLight.Surface;
        var dark = ChaosLabTheme.Theme.PaletteDark.Surface;

        // 3:1 is WCAG's minimum contrast for graphical objects (bars, legend swatches).
        Assert.All(FaultPalette.Colors, color =>
        {
            Assert.True(Contrast(new MudColor(color), light) >= 3, $"{color} on the light surface");
            Assert.True(Contrast(new MudColor(color), dark) >= 3, $"{color} on the dark surface");
        });
    }

    [Fact]
    public void Colors_AnyTwo_FarEnoughApartToTellApart()
    {
        var colors = FaultPalette.Colors;
        for (var i = 0; i < colors.Count; i++)
        {
            for (var j = i + 1; j < colors.Count; j++)
            {
                var distance = Distance(OkLab(new MudColor(colors[i])), OkLab(new MudColor(colors[j])));
                Assert.True(distance >= MinimumDistance, $"{colors[i]} and {colors[j]} are {distance:0.000} apart");
            }
        }
    }

    private static double Contrast(MudColor a, MudColor b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(MudColor color)
    {
        var (r, g, b) = Linear(color);
        return (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
    }

    private static (double R, double G, double B) Linear(MudColor color)
    {
        static double Channel(byte value) => value / 255.0 is var c && c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        return (Channel(color.R), Channel(color.G), Channel(color.B));
    }

    // Björn Ottosson's OKLab: distances there match how different two colours look.
    private static (double L, double A, double B) OkLab(MudColor color)
    {
        var (r, g, b) = Linear(color);
        var l = Math.Cbrt((0.4122214708 * r) + (0.5363325363 * g) + (0.0514459929 * b));
        var m = Math.Cbrt((0.2119034982 * r) + (0.6806995451 * g) + (0.1073969566 * b));
        var s = Math.Cbrt((0.0883024619 * r) + (0.2817188376 * g) + (0.6299787005 * b));
        return ((0.2104542553 * l) + (0.7936177850 * m) - (0.0040720468 * s),
            (1.9779984951 * l) - (2.4285922050 * m) + (0.4505937099 * s),
            (0.0259040371 * l) + (0.7827717662 * m) - (0.8086757660 * s));
    }

    private static double Distance((double L, double A, double B) x, (double L, double A, double B) y) =>
        Math.Sqrt(Math.Pow(x.L - y.L, 2) + Math.Pow(x.A - y.A, 2) + Math.Pow(x.B - y.B, 2));
}
