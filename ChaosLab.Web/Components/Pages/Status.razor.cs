using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Status : ComponentBase, IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    // The store is asked less often than the chart moves: a count and a size every few seconds is plenty.
    private const int TicksPerEpisodeCount = 5;

    private ITimer? _timer;
    private int _ticks;
    private bool _paused;

    [Inject]
    public required StatusViewModel Model { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Model.RefreshRequestRate();
        await Model.RefreshEpisodeCountAsync();
        await Model.RefreshStoreSizeAsync();

        // A static (prerendered) pass has no circuit to push updates through.
        if (RendererInfo.IsInteractive)
        {
            _timer = TimeProvider.CreateTimer(_ => _ = InvokeAsync(TickAsync), null, TickInterval, TickInterval);
        }
    }

    private async Task TickAsync()
    {
        if (_paused)
        {
            return;
        }

        Model.RefreshRequestRate();
        if (++_ticks % TicksPerEpisodeCount == 0)
        {
            await Model.RefreshEpisodeCountAsync();
            await Model.RefreshStoreSizeAsync();
        }

        StateHasChanged();
    }

    private void ToggleLive()
    {
        _paused = !_paused;
        if (!_paused)
        {
            Model.RefreshRequestRate();
        }
    }

    public void Dispose() => _timer?.Dispose();
}
