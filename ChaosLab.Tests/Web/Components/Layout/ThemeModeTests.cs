using ChaosLab.Web.Components.Layout;

namespace ChaosLab.Tests.Web.Components.Layout;

public sealed class ThemeModeTests
{
    [Theory]
    [InlineData(null, ThemeMode.System)]
    [InlineData("", ThemeMode.System)]
    [InlineData("Dark", ThemeMode.System)]
    [InlineData("light", ThemeMode.Light)]
    [InlineData("dark", ThemeMode.Dark)]
    public void FromStoredValue_AnyString_KnownModeOrFollowsTheSystem(string? stored, ThemeMode expected) =>
        Assert.Equal(expected, ThemeModes.FromStoredValue(stored));

    [Theory]
    [InlineData(ThemeMode.System)]
    [InlineData(ThemeMode.Light)]
    [InlineData(ThemeMode.Dark)]
    public void ToStoredValue_EveryMode_ReadsBackTheSame(ThemeMode mode) =>
        Assert.Equal(mode, ThemeModes.FromStoredValue(mode.ToStoredValue()));

    [Theory]
    [InlineData(ThemeMode.System, false, false)]
    [InlineData(ThemeMode.System, true, true)]
    [InlineData(ThemeMode.Light, true, false)]
    [InlineData(ThemeMode.Dark, false, true)]
    public void IsDark_ModeAndSystem_OnlySystemModeFollowsTheSystem(ThemeMode mode, bool systemIsDark, bool expected) =>
        Assert.Equal(expected, mode.IsDark(systemIsDark));
}
