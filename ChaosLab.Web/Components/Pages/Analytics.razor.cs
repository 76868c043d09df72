using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Analytics : EpisodeFilterPage
{
    [Inject]
    public required AnalyticsViewModel Model { get; init; }

    private string EpisodesHref => "episodes" + new Uri(Navigation.Uri).Query;

    protected override Task OnParametersSetAsync() => Model.LoadAsync(UrlParameters());

    private Task RetryAsync() => Model.LoadAsync(UrlParameters());

    private void Apply(EpisodeFilterForm form) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(form.ToParameters(Sort)));
}
