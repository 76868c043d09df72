using MudBlazor;
using MudBlazor.Services;

namespace ChaosLab.Web.Components;

public static class DashboardShellServices
{
    /// <summary>MudBlazor's services, with the dashboard's notices bottom right, a short stack, gone after a few seconds.</summary>
    public static IServiceCollection AddDashboardShell(this IServiceCollection services) => services.AddMudServices(configuration =>
    {
        var snackbar = configuration.SnackbarConfiguration;
        snackbar.PositionClass = Defaults.Classes.Position.BottomRight;
        snackbar.MaxDisplayedSnackbars = 4;
        snackbar.NewestOnTop = false;
        snackbar.ShowCloseIcon = true;
        snackbar.VisibleStateDuration = 5000;
    });
}
