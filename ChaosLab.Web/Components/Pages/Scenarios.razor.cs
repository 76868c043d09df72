using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Web.Components.Studio;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Studio;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>
/// The studio's list of scenarios. The URL holds the filters: a filter change navigates, and
/// the page loads whatever the URL says (a reload, back, or a shared link shows the same list).
/// </summary>
public sealed partial class Scenarios : ComponentBase
{
    private static readonly string[] StatusValues = [.. Enum.GetValues<ScenarioStatus>().Select(ScenarioListUrl.StatusValue)];

    [Inject]
    public required ScenarioListViewModel Model { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Text { get; set; }

    [SupplyParameterFromQuery(Name = "suite")]
    public string? Suite { get; set; }

    [SupplyParameterFromQuery(Name = "task")]
    public string? TaskId { get; set; }

    [SupplyParameterFromQuery(Name = "tier")]
    public string? Tier { get; set; }

    [SupplyParameterFromQuery(Name = "family")]
    public string? Family { get; set; }

    [SupplyParameterFromQuery(Name = "status")]
    public string? Status { get; set; }

    private string? StatusValue => Model.Query.Status is { } status ? ScenarioListUrl.StatusValue(status) : null;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private Task LoadAsync() => Model.LoadAsync(ScenarioListUrl.Parse(Text, Suite, TaskId, Tier, Family, Status));

    private void TextChanged(string? text) => Filter(Model.Query with { Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim() });

    private void StatusChanged(string? value) =>
        Filter(Model.Query with { Status = ScenarioListUrl.Parse(null, null, null, null, null, value).Query.Status });

    private static string? StatusDisplay(string? value) =>
        ScenarioListUrl.Parse(null, null, null, null, null, value).Query.Status is { } status ? ScenarioListUrl.StatusText(status) : value;

    private void Filter(StudioQuery query) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(ScenarioListUrl.ToParameters(query)));

    private Task CloneAsync(string sourceId) => OpenCloneDialogAsync($"Clone {sourceId}", sourceId);

    private Task NewScenarioAsync() => OpenCloneDialogAsync("New scenario", null);

    private async Task OpenCloneDialogAsync(string title, string? sourceId)
    {
        var parameters = new DialogParameters<CloneScenarioDialog>
        {
            { d => d.SourceId, sourceId },
            { d => d.Sources, Model.All },
        };
        var dialog = await Dialogs.ShowAsync<CloneScenarioDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string id })
        {
            Navigation.NavigateTo(ScenarioHref(id));
        }
    }

    internal static string ScenarioHref(string id) => "scenarios/" + Uri.EscapeDataString(id);
}
