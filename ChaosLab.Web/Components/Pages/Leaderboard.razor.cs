using ChaosLab.Core.Recording;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Leaderboard : ComponentBase, IDisposable
{
    /// <summary>However many episodes finish, the leaderboard re-queries at most this often.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private const string AllTime = "all";

    private IDisposable? _subscription;
    private RefreshThrottle? _throttle;

    [Inject]
    public required LeaderboardViewModel Model { get; init; }

    [Inject]
    public required IEpisodeFeed Feed { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [SupplyParameterFromQuery(Name = "suite")]
    public string? Suite { get; set; }

    [SupplyParameterFromQuery(Name = "task")]
    public string? Task { get; set; }

    [SupplyParameterFromQuery(Name = "tier")]
    public string? Tier { get; set; }

    [SupplyParameterFromQuery(Name = "window")]
    public string? Window { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "mode")]
    public string? Mode { get; set; }

    private string? AriaSort(string key) => LeaderboardViewModel.ParseSort(Model.Filter.Sort) is var (sortKey, descending) && sortKey == key
        ? descending ? "descending" : "ascending"
        : null;

    private string SortIcon(string key) => AriaSort(key) switch
    {
        "descending" => Icons.Material.Filled.ArrowDownward,
        "ascending" => Icons.Material.Filled.ArrowUpward,
        _ => Icons.Material.Filled.UnfoldMore,
    };

    protected override void OnInitialized()
    {
        // A static (prerendered) pass has no circuit to push updates through.
        if (RendererInfo.IsInteractive)
        {
            _throttle = new RefreshThrottle(TimeProvider, RefreshInterval, () => InvokeAsync(RefreshAsync));
            _subscription = Feed.Subscribe(OnFeedEventAsync);
        }
    }

    protected override Task OnParametersSetAsync() =>
        Model.LoadAsync(LeaderboardFilter.FromUrl(Suite, Task, Tier, Window, Sort, Mode));

    private Task OnFeedEventAsync(EpisodeFeedEvent feedEvent)
    {
        if (feedEvent is EpisodeFinishedEvent)
        {
            _throttle?.Request();
        }

        return System.Threading.Tasks.Task.CompletedTask;
    }

    private async Task RefreshAsync()
    {
        await Model.RefreshAsync();
        StateHasChanged();
    }

    private Task RetryAsync() => RefreshAsync();

    private Task SortAsync(string key) => NavigateAsync(Model.Filter with { Sort = LeaderboardViewModel.NextSort(Model.Filter.Sort, key) });

    private Task NavigateAsync(LeaderboardFilter filter)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(filter.ToParameters()));
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _throttle?.Dispose();
    }
}
