using System.Globalization;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>Step-by-step replay of one recorded episode, live while it runs.</summary>
public sealed partial class Replay : ComponentBase, IAsyncDisposable
{
    // Live steps can arrive in bursts; the page redraws at most this often.
    private static readonly TimeSpan RenderThrottle = TimeSpan.FromMilliseconds(150);

    private ElementReference _timeline;
    private IJSObjectReference? _module;
    private string? _loadedId;
    private int? _revealed;
    private bool _renderQueued;
    private bool _laneLoaded;

    [Inject]
    public required ReplayViewModel Model { get; init; }

    /// <summary>The agent's side (harness interventions, conversation) of an episode played by an in-process agent.</summary>
    [Inject]
    public required HarnessLaneViewModel Lane { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Parameter]
    public required string Id { get; set; }

    [SupplyParameterFromQuery(Name = "step")]
    public int? Step { get; set; }

    private string Title => Model.Episode is { } e ? $"Episode {e.ScenarioId} seed {e.Seed}" : "Episode replay";

    private string DownloadHref => "../api/episodes/" + Uri.EscapeDataString(Id);

    private string DownloadName => $"episode-{Id}.json";

    protected override void OnInitialized()
    {
        Model.UseDispatcher(work => InvokeAsync(work));
        Model.Changed += OnModelChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId != Id)
        {
            _loadedId = Id;
            _laneLoaded = false;
            await Model.LoadAsync(Id, Step, live: RendererInfo.IsInteractive);
            await LoadLaneAsync();
        }
        else if (Step is { } step && Model.Selected?.Index != step)
        {
            // Back/forward in the browser, or an edited ?step=.
            Model.Select(step);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Model.State != LoadState.Ready)
        {
            return;
        }

        try
        {
            if (_module is null)
            {
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/replay.js");
                await _module.InvokeVoidAsync("attach", _timeline);
            }

            if (_revealed != Model.Selected?.Index)
            {
                _revealed = Model.Selected?.Index;
                await _module.InvokeVoidAsync("reveal", _timeline);
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser left; nothing to keep in view.
        }
    }

    private Task ReloadAsync()
    {
        _loadedId = null;
        return OnParametersSetAsync();
    }

    private void OnStepClicked(int stepIndex)
    {
        Model.Pause();
        if (Model.Select(stepIndex))
        {
            SyncUrl();
        }
    }

    private void OnMove(ReplayMove move)
    {
        Model.Pause();
        if (Model.Move(move))
        {
            SyncUrl();
        }
    }

    private void TogglePlay()
    {
        Model.TogglePlay();
        SyncUrl();
    }

    private void OnTimelineKey(KeyboardEventArgs e)
    {
        if (Model.HandleKey(e.Key))
        {
            SyncUrl();
        }
    }

    /// <summary>
    /// The agent trace is saved when an episode ends, so it is read only then: a sealed episode
    /// still running shows no more of the agent's side than of the environment's.
    /// </summary>
    private async Task LoadLaneAsync()
    {
        if (_laneLoaded || Model.State != LoadState.Ready || Model.IsRunning)
        {
            return;
        }

        _laneLoaded = true;
        await Lane.LoadAsync(Id);
    }

    private void OnModelChanged()
    {
        // Already on the dispatcher (the model marshals through InvokeAsync).
        SyncUrl();
        if (!_laneLoaded && !Model.IsRunning)
        {
            _ = LoadLaneThenRenderAsync();
        }

        if (_renderQueued)
        {
            return;
        }

        _renderQueued = true;
        _ = RenderSoonAsync();
    }

    private async Task LoadLaneThenRenderAsync()
    {
        await LoadLaneAsync();
        await InvokeAsync(StateHasChanged);
    }

    private async Task RenderSoonAsync()
    {
        await Task.Delay(RenderThrottle, TimeProvider);
        await InvokeAsync(() =>
        {
            _renderQueued = false;
            StateHasChanged();
        });
    }

    /// <summary>Keeps <c>?step=N</c> in the address, replacing the history entry so Back leaves the replay.</summary>
    private void SyncUrl()
    {
        if (Model.Selected is not { } selected || Step == selected.Index)
        {
            return;
        }

        Step = selected.Index;
        var uri = Navigation.GetUriWithQueryParameter("step", selected.Index);
        Navigation.NavigateTo(uri, replace: true);
    }

    private static string StepElementId(ReplayStep step) => "step-" + step.Index.ToString(CultureInfo.InvariantCulture);

    private static Color StatusColor(string status) => status switch
    {
        "ok" => Color.Success,
        "error" => Color.Error,
        _ => Color.Default,
    };

    private static string? RewardCss(double reward) => reward > 0 ? "mud-success-text" : reward < 0 ? "mud-error-text" : "mud-text-secondary";

    public async ValueTask DisposeAsync()
    {
        Model.Changed -= OnModelChanged;
        Model.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("detach", _timeline);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone and the browser with it.
            }
        }
    }
}
