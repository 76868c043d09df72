namespace ChaosLab.Web.Components.Layout;

/// <summary>The dashboard's colour scheme as a visitor chose it in the app bar; <see cref="System"/> follows the browser.</summary>
public enum ThemeMode
{
    System,
    Light,
    Dark,
}

public static class ThemeModes
{
    /// <summary>The app bar button cycles system → light → dark → system.</summary>
    public static ThemeMode Next(this ThemeMode mode) => mode switch
    {
        ThemeMode.System => ThemeMode.Light,
        ThemeMode.Light => ThemeMode.Dark,
        _ => ThemeMode.System,
    };

    public static bool IsDark(this ThemeMode mode, bool systemIsDark) => mode switch
    {
        ThemeMode.Light => false,
        ThemeMode.Dark => true,
        _ => systemIsDark,
    };

    /// <summary>The value kept in the browser (<c>js/theme.js</c> reads the same strings before the first paint).</summary>
    public static string ToStoredValue(this ThemeMode mode) => mode switch
    {
        ThemeMode.Light => "light",
        ThemeMode.Dark => "dark",
        _ => "system",
    };

    /// <summary>Anything unknown (nothing stored yet, an old or edited value) follows the system.</summary>
    public static ThemeMode FromStoredValue(string? value) => value switch
    {
        "light" => ThemeMode.Light,
        "dark" => ThemeMode.Dark,
        _ => ThemeMode.System,
    };
}
