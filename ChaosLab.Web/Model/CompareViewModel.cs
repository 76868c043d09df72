using ChaosLab.Core.Persistence;
using ChaosLab.Web.Model.Statistics;

namespace ChaosLab.Web.Model;

/// <summary>
/// Two agents side by side on the (suite, scenario, seed) keys both played: paired deltas per
/// key and per scenario, and a summary with a paired 95% interval (see <see cref="PairedComparison"/>).
/// </summary>
public sealed class CompareViewModel(EpisodeStore store)
{
    /// <summary>Episodes read per comparison; beyond it the keys last in (suite, scenario, seed) order are left out (and the page says so).</summary>
    public const int EpisodeLimit = 20_000;

    private CompareFilter? _loaded;

    public CompareFilter Filter { get; private set; } = new();

    public LoadState State { get; private set; } = LoadState.Empty;

    public string? Error { get; private set; }

    public EpisodeFacets Facets { get; private set; } = EpisodeFacets.Empty;

    public PairedComparison? Comparison { get; private set; }

    public bool Truncated { get; private set; }

    /// <summary>What is missing before a comparison can run (null when both agents are chosen and differ).</summary>
    public string? Prompt => Filter switch
    {
        { A: null } or { B: null } => "Choose two agents to compare.",
        { } f when f.A == f.B => "Choose two different agents.",
        _ => null,
    };

    public async Task LoadAsync(CompareFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Filter = filter;
        if (filter == _loaded && State != LoadState.Failed)
        {
            return;
        }

        _loaded = filter;
        State = LoadState.Loading;
        try
        {
            if (Facets == EpisodeFacets.Empty)
            {
                Facets = await store.FacetsAsync(cancellationToken);
            }

            if (Prompt is not null)
            {
                Comparison = null;
                State = LoadState.Empty;
                return;
            }

            var query = new EpisodeQuery { Suite = filter.Suite, TaskId = filter.Task, Tier = filter.Tier };
            var paired = await store.PairedEpisodesAsync(filter.A!, filter.B!, query, EpisodeLimit, cancellationToken);
            Truncated = paired.Truncated;
            Comparison = PairedComparison.Compute(filter.A!, filter.B!, paired.Episodes);
            State = Comparison.Pairs.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _loaded = null;
            State = LoadState.Failed;
            Error = $"The comparison could not be read from the episode store: {ex.Message}";
        }
    }
}

/// <summary>The compare page's URL state: agents a and b, and optional suite, task and tier.</summary>
public sealed record CompareFilter(string? A = null, string? B = null, string? Suite = null, string? Task = null, string? Tier = null)
{
    public static CompareFilter FromUrl(string? a, string? b, string? suite, string? task, string? tier) =>
        new(Blank(a), Blank(b), Blank(suite), Blank(task), Blank(tier));

    public Dictionary<string, object?> ToParameters() => new(StringComparer.Ordinal)
    {
        ["a"] = A,
        ["b"] = B,
        ["suite"] = Suite,
        ["task"] = Task,
        ["tier"] = Tier,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
