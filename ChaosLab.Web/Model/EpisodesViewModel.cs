using ChaosLab.Core.Persistence;
using Microsoft.Extensions.Primitives;

namespace ChaosLab.Web.Model;

/// <summary>
/// The episode browser: the filters from the URL, one page of summaries from the store
/// (filtered, sorted and paged by the database), and the facets the filter form offers.
/// The same URL asks the store only once.
/// </summary>
public sealed class EpisodesViewModel(EpisodeStore store)
{
    private string? _loadedKey;

    public EpisodeQuery Query { get; private set; } = new() { PageSize = EpisodeFilter.PageSize };

    /// <summary>Problems with the URL's parameters; the page then shows them instead of results.</summary>
    public IReadOnlyList<string> UrlErrors { get; private set; } = [];

    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public EpisodePage Page { get; private set; } = new([], 0, 1, EpisodeFilter.PageSize);

    public EpisodeFacets Facets { get; private set; } = EpisodeFacets.Empty;

    public async Task LoadAsync(IReadOnlyDictionary<string, StringValues> parameters, CancellationToken cancellationToken = default)
    {
        var key = string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (key == _loadedKey && State != LoadState.Failed)
        {
            return;
        }

        _loadedKey = key;
        if (EpisodeFilter.Parse(parameters, out var errors) is not { } query)
        {
            UrlErrors = errors;
            Page = new([], 0, 1, EpisodeFilter.PageSize);
            State = LoadState.Failed;
            Error = "The filters in the address are not valid: " + string.Join(" ", errors);
            return;
        }

        UrlErrors = [];
        Query = query;
        State = LoadState.Loading;
        try
        {
            await LoadFacetsAsync(cancellationToken);
            Page = await store.SearchAsync(query, cancellationToken);
            State = Page.Items.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _loadedKey = null;
            State = LoadState.Failed;
            Error = $"The episodes could not be read from the store: {ex.Message}";
        }
    }

    public bool HasFilters => Query with { Sort = EpisodeSortKey.StartedAt, Descending = true, Page = 1 } != new EpisodeQuery { PageSize = EpisodeFilter.PageSize, FaultKinds = Query.FaultKinds }
        || Query.FaultKinds.Count > 0;

    private async Task LoadFacetsAsync(CancellationToken cancellationToken)
    {
        if (Facets == EpisodeFacets.Empty)
        {
            Facets = await store.FacetsAsync(cancellationToken);
        }
    }
}
