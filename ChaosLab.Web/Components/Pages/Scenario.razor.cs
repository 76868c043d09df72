using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Web.Model.Studio;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

/// <summary>One scenario in the studio: its document, its versions and the preview (the editor joins them here).</summary>
public sealed partial class Scenario : ComponentBase
{
    [Inject]
    public required ScenarioPageViewModel Model { get; init; }

    [Parameter]
    public required string Id { get; set; }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private Task LoadAsync() => Model.LoadAsync(Id);

    private static string VersionText(StudioScenarioRow row) => row switch
    {
        { Status: ScenarioStatus.Draft, PublishedVersion: { } published } => $"draft of version {row.Version} (version {published} is played)",
        { Status: ScenarioStatus.Draft } => $"draft of version {row.Version}, never published",
        _ => $"version {row.Version}",
    };
}
