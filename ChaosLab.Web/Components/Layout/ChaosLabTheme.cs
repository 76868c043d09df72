using MudBlazor;

namespace ChaosLab.Web.Components.Layout;

/// <summary>
/// The dashboard's MudBlazor theme: a steel-blue primary for controls and links, the ChaosLab
/// magenta as the secondary accent (active navigation, highlights), on neutral greys so charts
/// and outcome colours stay the loudest things on a page.
/// </summary>
public static class ChaosLabTheme
{
    /// <summary>The attribute on <c>&lt;html&gt;</c> naming the scheme in effect (<c>light</c> or <c>dark</c>), set by the theme scripts.</summary>
    public const string SchemeAttribute = "data-theme";

    /// <summary>The name of the <c>bool</c> <see cref="MainLayout"/> cascades: true while the dark scheme is in effect (charts follow it).</summary>
    public const string IsDarkCascade = "ChaosLabIsDark";

    public static MudTheme Theme { get; } = Create(":root");

    /// <summary>The light palette, applied by CSS alone while <c>&lt;html data-theme="light"&gt;</c>.</summary>
    public static MudTheme LightScheme { get; } = Create($":root[{SchemeAttribute}=light]");

    /// <summary>The dark palette, applied by CSS alone while <c>&lt;html data-theme="dark"&gt;</c>.</summary>
    public static MudTheme DarkScheme { get; } = Create($":root[{SchemeAttribute}=dark]");

    private static MudTheme Create(string scope) => new()
    {
        PseudoCss = new PseudoCss { Scope = scope },
        PaletteLight = new PaletteLight
        {
            Primary = "#2f5fb3",
            Secondary = "#c2255c",
            Tertiary = "#0b7285",
            Background = "#f5f6f8",
            Surface = "#ffffff",
            AppbarBackground = "#1c2536",
            AppbarText = "#f1f3f5",
            DrawerBackground = "#ffffff",
            DrawerText = "#343a40",
            DrawerIcon = "#5c677d",
            TextPrimary = "#212529",
            TextSecondary = "#5c677d",
            LinesDefault = "#dee2e6",
            TableLines = "#dee2e6",
            Divider = "#dee2e6",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa2f7",
            Secondary = "#f06595",
            Tertiary = "#3bc9db",
            Background = "#13161c",
            Surface = "#1c2028",
            AppbarBackground = "#1c2028",
            AppbarText = "#e9ecef",
            DrawerBackground = "#171a21",
            DrawerText = "#ced4da",
            DrawerIcon = "#9aa5b8",
            TextPrimary = "#e9ecef",
            TextSecondary = "#9aa5b8",
            LinesDefault = "#343a46",
            TableLines = "#343a46",
            Divider = "#343a46",
        },
        LayoutProperties = new LayoutProperties
        {
            DrawerWidthLeft = "220px",
        },
    };
}
