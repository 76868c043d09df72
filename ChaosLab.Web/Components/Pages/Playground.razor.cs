using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>Play an episode by hand; it is recorded like any other (agent <c>human</c>, client <c>ui</c>).</summary>
public sealed partial class Playground : ComponentBase, IAsyncDisposable
{
    private ElementReference _turns;
    private ElementReference _grade;
    private IJSObjectReference? _module;

    // Set after a step: which part to bring into view once it has rendered.
    private bool _revealPending;

    [Inject]
    public required PlaygroundViewModel Model { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    /// <summary>A scenario to choose on arrival (<c>?scenario=</c>, e.g. from the scenario studio).</summary>
    [SupplyParameterFromQuery(Name = "scenario")]
    public string? ScenarioQuery { get; set; }

    private string? _unknownScenario;

    protected override async Task OnInitializedAsync()
    {
        await Model.LoadPublishedAsync();
        if (ScenarioQuery is { Length: > 0 } id && !Model.ChooseScenario(id))
        {
            _unknownScenario = id;
        }
    }

    /// <summary>False while prerendered: nothing typed or clicked then would reach the circuit.</summary>
    private bool Interactive => RendererInfo.IsInteractive;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_revealPending)
        {
            return;
        }

        _revealPending = false;
        try
        {
            // On a phone the results stack below the forms; on a wide screen they sit beside them
            // and the module leaves the page where it is.
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/playground.js");
            await _module.InvokeVoidAsync("revealIfOffScreen", Model.Done ? _grade : _turns);
        }
        catch (JSDisconnectedException)
        {
            // The browser left; nothing to show.
        }
    }

    private async Task StartAsync() => await Model.StartAsync();

    private async Task CallToolAsync() => _revealPending = await Model.CallToolAsync();

    private async Task SubmitAnswerAsync()
    {
        if (await Model.SubmitAnswerAsync() && Model.Done)
        {
            _revealPending = true;
            Snackbar.Add($"Graded: {Model.Outcome}.", Model.Grade?.Success == true ? Severity.Success : Severity.Info);
        }
    }

    private string TaskText(string? id) => string.IsNullOrEmpty(id)
        ? "Default task"
        : Model.Tasks.FirstOrDefault(t => t.Id == id) is { } task ? $"{task.Id} · {task.Title} ({task.MaxSteps} steps)" : id;

    private string ScenarioText(string? id) => string.IsNullOrEmpty(id)
        ? "First matching"
        : Model.Scenarios.FirstOrDefault(s => s.Id == id) is { } scenario ? $"{scenario.Id} · {scenario.Family}" : id;

    // Closing the session records a running episode as abandoned, so leaving the page never
    // leaks a session against the server's capacity.
    public async ValueTask DisposeAsync()
    {
        await Model.DisposeAsync();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone and the module with it.
            }
        }
    }
}
