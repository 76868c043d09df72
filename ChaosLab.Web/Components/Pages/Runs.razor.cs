using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>The evaluation runs, live, and the form that starts one.</summary>
public sealed partial class Runs : ComponentBase, IDisposable
{
    private bool _formOpen;

    [Inject]
    public required RunsViewModel Model { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Model.UseDispatcher(work => InvokeAsync(work));
        Model.Changed += OnChanged;
        await LoadAsync();
        if (RendererInfo.IsInteractive)
        {
            Model.StartLive();
        }
    }

    private Task LoadAsync() => Model.LoadAsync();

    private void OnStarted(IReadOnlyList<string> runIds)
    {
        _formOpen = false;
        Snackbar.Add(runIds.Count == 1 ? "Run started." : $"Ablation started: {runIds.Count} runs.", Severity.Success);
    }

    // Already on the dispatcher: the view model marshals its refreshes.
    private void OnChanged() => StateHasChanged();

    public void Dispose()
    {
        Model.Changed -= OnChanged;
        Model.Dispose();
    }
}
