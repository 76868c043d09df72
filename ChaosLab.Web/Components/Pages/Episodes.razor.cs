using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Episodes : EpisodeFilterPage
{
    [Inject]
    public required EpisodesViewModel Model { get; init; }

    private LoadState TableState => Model.State == LoadState.Empty ? LoadState.Ready : Model.State;

    private string AnalyticsHref => "analytics" + new Uri(Navigation.Uri).Query;

    protected override Task OnParametersSetAsync() => Model.LoadAsync(UrlParameters());

    private Task RetryAsync() => Model.LoadAsync(UrlParameters());

    private void Apply(EpisodeFilterForm form) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(form.ToParameters(Sort)));

    private void SortBy(string key) =>
        Navigate(EpisodeFilter.ToParameters(EpisodeFilter.SortedBy(Model.Query, key)));

    private void GoToPage(int page) => Navigate(EpisodeFilter.ToParameters(Model.Query with { Page = page }));

    private void Navigate(Dictionary<string, object?> parameters) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
}
