using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>One evaluation run: header, live progress, charts by suite, task and tier, its items linking to their replays.</summary>
public sealed partial class Run : ComponentBase, IDisposable
{
    private string? _loadedId;

    [Inject]
    public required RunPageViewModel Model { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Parameter]
    public required string Id { get; set; }

    protected override void OnInitialized()
    {
        Model.UseDispatcher(work => InvokeAsync(work));
        Model.Changed += OnChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId != Id)
        {
            _loadedId = Id;
            await LoadAsync();
        }
    }

    private Task LoadAsync() => Model.LoadAsync(Id, live: RendererInfo.IsInteractive);

    private async Task CancelAsync()
    {
        if (await Model.CancelAsync())
        {
            Snackbar.Add("Cancelling: the items playing now go back to pending.", Severity.Info);
        }
        else
        {
            Snackbar.Add("The run is over already.", Severity.Warning);
        }
    }

    // Already on the dispatcher: the view model marshals its refreshes.
    private void OnChanged() => StateHasChanged();

    public void Dispose()
    {
        Model.Changed -= OnChanged;
        Model.Dispose();
    }
}
