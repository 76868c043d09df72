using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace ChaosLab.Web.Components.Layout;

/// <summary>
/// The dashboard shell: app bar, navigation drawer, MudBlazor's providers, the theme (light,
/// dark or following the system, remembered by the browser) and an error boundary around the page.
/// </summary>
public sealed partial class MainLayout : LayoutComponentBase, IAsyncDisposable
{
    private MudThemeProvider? _themeProvider;
    private ErrorBoundary? _errorBoundary;
    private IJSObjectReference? _themeModule;
    private ThemeMode _mode = ThemeMode.System;
    private bool _isDark;
    private bool _drawerOpen = true;

    [Inject]
    public required IJSRuntime JS { get; init; }

    private string ThemeIcon => _mode switch
    {
        ThemeMode.Light => Icons.Material.Filled.LightMode,
        ThemeMode.Dark => Icons.Material.Filled.DarkMode,
        _ => Icons.Material.Filled.BrightnessAuto,
    };

    private string ThemeLabel => _mode switch
    {
        ThemeMode.Light => "Theme: light (switch to dark)",
        ThemeMode.Dark => "Theme: dark (switch to follow the system)",
        _ => "Theme: follows the system (switch to light)",
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            _themeModule = await JS.InvokeAsync<IJSObjectReference>("import", "./js/theme.js");
            _mode = ThemeModes.FromStoredValue(await _themeModule.InvokeAsync<string?>("storedMode"));
            var systemIsDark = _mode == ThemeMode.System && await _themeProvider!.GetSystemDarkModeAsync();
            await ApplyThemeAsync(_mode.IsDark(systemIsDark));
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The circuit ended before the first render finished: nothing to apply to.
        }
    }

    private async Task CycleThemeAsync()
    {
        _mode = _mode.Next();
        var systemIsDark = _mode == ThemeMode.System && await _themeProvider!.GetSystemDarkModeAsync();
        await ApplyThemeAsync(_mode.IsDark(systemIsDark));
    }

    /// <summary>MudBlazor reports the system's scheme changing only while the mode follows it.</summary>
    private Task OnSystemDarkModeChangedAsync(bool isDark) => ApplyThemeAsync(isDark);

    private async Task ApplyThemeAsync(bool isDark)
    {
        _isDark = isDark;
        if (_themeModule is not null)
        {
            await _themeModule.InvokeVoidAsync("applyTheme", _mode.ToStoredValue(), isDark);
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private void Recover() => _errorBoundary?.Recover();

    public async ValueTask DisposeAsync()
    {
        if (_themeModule is not null)
        {
            try
            {
                await _themeModule.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; so is the module.
            }
        }
    }
}
