using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>Play an episode by hand; it is recorded like any other (agent <c>human</c>, client <c>ui</c>).</summary>
public sealed partial class Playground : ComponentBase, IAsyncDisposable
{
    [Inject]
    public required PlaygroundViewModel Model { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private async Task StartAsync() => await Model.StartAsync();

    private async Task CallToolAsync() => await Model.CallToolAsync();

    private async Task SubmitAnswerAsync()
    {
        if (await Model.SubmitAnswerAsync() && Model.Done)
        {
            Snackbar.Add($"Graded: {Model.Outcome}.", Model.Grade?.Success == true ? Severity.Success : Severity.Info);
        }
    }

    // Closing the session records a running episode as abandoned, so leaving the page never
    // leaks a session against the server's capacity.
    public ValueTask DisposeAsync() => Model.DisposeAsync();
}
