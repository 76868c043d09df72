using System.Globalization;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>
/// The episode browser. The URL is the source of truth: the grid's sort and page, like the
/// filter form, change the URL, and a URL change (a reload, back, a shared link) re-arranges
/// the grid. The store pages, sorts and filters; the grid only shows one page.
/// </summary>
public sealed partial class Episodes : EpisodeFilterPage
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private MudDataGrid<EpisodeSummary>? _grid;

    [Inject]
    public required EpisodesViewModel Model { get; init; }

    private string AnalyticsHref => "analytics" + new Uri(Navigation.Uri).Query;

    protected override async Task OnParametersSetAsync()
    {
        await Model.LoadAsync(UrlParameters());
        if (_grid is not null)
        {
            await ArrangeGridAsync(_grid);
        }
    }

    /// <summary>The grid's ServerData: the page the grid asks for, after putting its sort and page into the URL.</summary>
    private async Task<GridData<EpisodeSummary>> LoadPageAsync(GridState<EpisodeSummary> state, CancellationToken cancellationToken)
    {
        if (Model.UrlErrors.Count == 0 && Model.State != LoadState.Failed)
        {
            var sort = state.SortDefinitions.FirstOrDefault();
            var wanted = EpisodeFilter.Arranged(Model.Query, sort?.SortBy, sort?.Descending ?? true, state.Page);
            if (EpisodeFilter.Href("", wanted) != EpisodeFilter.Href("", Model.Query))
            {
                Navigate(EpisodeFilter.ToParameters(wanted));
                await Model.LoadAsync(wanted, cancellationToken);
            }
        }

        return new GridData<EpisodeSummary> { Items = Model.Page.Items, TotalItems = Model.Page.Total };
    }

    /// <summary>Brings the grid's sort in line with the URL (after back or forward), which reloads it; otherwise just reloads.</summary>
    private async Task ArrangeGridAsync(MudDataGrid<EpisodeSummary> grid)
    {
        var column = EpisodeFilter.SortColumn(Model.Query.Sort);
        var sort = grid.SortDefinitions.Values.FirstOrDefault();
        if (sort is not null && (sort.SortBy != column || sort.Descending != Model.Query.Descending))
        {
            var direction = Model.Query.Descending ? SortDirection.Descending : SortDirection.Ascending;
            await grid.SetSortAsync(column, direction, SortFunc(column));
        }
        else
        {
            await grid.ReloadServerData();
        }
    }

    // The store sorts; the grid needs a function only to register the column's sort.
    private static Func<EpisodeSummary, object> SortFunc(string column) => column switch
    {
        nameof(EpisodeSummary.Score) => e => e.Score ?? -1,
        nameof(EpisodeSummary.StepCount) => e => e.StepCount,
        nameof(EpisodeSummary.Agent) => e => e.Agent,
        _ => e => e.StartedAt,
    };

    private SortDirection Direction(EpisodeSortKey key) =>
        Model.Query.Sort != key ? SortDirection.None : Model.Query.Descending ? SortDirection.Descending : SortDirection.Ascending;

    private static string ReplayHref(EpisodeSummary episode) => "episodes/" + Uri.EscapeDataString(episode.Id);

    private async Task RetryAsync()
    {
        await Model.LoadAsync(UrlParameters());
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private void Apply(EpisodeFilterForm form) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(form.ToParameters((string?)EpisodeFilter.ToParameters(Model.Query)["sort"])));

    private void Navigate(Dictionary<string, object?> parameters) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
}
