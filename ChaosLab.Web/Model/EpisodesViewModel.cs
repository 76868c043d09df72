using ChaosLab.Core.Persistence;
using ChaosLab.Web.Endpoints;
using Microsoft.Extensions.Primitives;

namespace ChaosLab.Web.Model;

/// <summary>
/// The episode browser: the filters from the URL, one page of summaries from the store
/// (filtered, sorted and paged by the database), and the facets the filter form offers.
/// The same query asks the store only once. A URL refused as <c>GET /api/episodes</c> refuses it
/// (a malformed value, a bad sort, or a suite, task, tier or fault kind no episode here can have)
/// leaves the last valid query and the facets in place, so the filter form stays usable beside
/// the message.
/// </summary>
public sealed class EpisodesViewModel(EpisodeStore store, EpisodeFilterValues values)
{
    private static readonly EpisodePage NoEpisodes = new([], 0, 1, EpisodeFilter.PageSize);

    private string? _loadedKey;

    public EpisodeQuery Query { get; private set; } = new() { PageSize = EpisodeFilter.PageSize };

    /// <summary>Problems with the URL's parameters, one per bad parameter; the page then shows them instead of results.</summary>
    public IReadOnlyList<string> UrlErrors { get; private set; } = [];

    public LoadState State { get; private set; } = LoadState.Loading;

    /// <summary>Why the store could not be read (not set for a bad URL: see <see cref="UrlErrors"/>).</summary>
    public string? Error { get; private set; }

    public EpisodePage Page { get; private set; } = NoEpisodes;

    public EpisodeFacets Facets { get; private set; } = EpisodeFacets.Empty;

    /// <summary>Reads the URL's filters and loads their page.</summary>
    public async Task LoadAsync(IReadOnlyDictionary<string, StringValues> parameters, CancellationToken cancellationToken = default)
    {
        if (EpisodeFilter.Parse(parameters, out var errors) is not { } query)
        {
            await RefuseAsync(errors, cancellationToken);
            return;
        }

        Dictionary<string, string[]> unknown;
        try
        {
            unknown = await values.CheckAsync(query, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
            return;
        }

        if (unknown.Count > 0)
        {
            await RefuseAsync([.. unknown.OrderBy(u => u.Key, StringComparer.Ordinal).SelectMany(u => u.Value)], cancellationToken);
            return;
        }

        await LoadAsync(query, cancellationToken);
    }

    /// <summary>Loads <paramref name="query"/>'s page, unless it is the page already shown.</summary>
    public async Task LoadAsync(EpisodeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = EpisodeFilter.Href("", query);
        if (key == _loadedKey && State is LoadState.Ready or LoadState.Empty)
        {
            return;
        }

        UrlErrors = [];
        Query = query;
        State = LoadState.Loading;
        try
        {
            await LoadFacetsAsync(cancellationToken);
            Page = await store.SearchAsync(query, cancellationToken);
            _loadedKey = key;
            State = Page.Items.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
        }
    }

    public bool HasFilters => Query with { Sort = EpisodeSortKey.StartedAt, Descending = true, Page = 1 } != new EpisodeQuery { PageSize = EpisodeFilter.PageSize, FaultKinds = Query.FaultKinds }
        || Query.FaultKinds.Count > 0;

    private async Task RefuseAsync(IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        _loadedKey = null;
        UrlErrors = errors;
        Page = NoEpisodes;
        State = LoadState.Empty;
        Error = null;
        try
        {
            await LoadFacetsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        _loadedKey = null;
        Page = NoEpisodes;
        State = LoadState.Failed;
        Error = $"The episodes could not be read from the store: {ex.Message}";
    }

    private async Task LoadFacetsAsync(CancellationToken cancellationToken)
    {
        if (Facets == EpisodeFacets.Empty)
        {
            Facets = await store.FacetsAsync(cancellationToken);
        }
    }
}
