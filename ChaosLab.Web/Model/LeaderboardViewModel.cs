using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Model.Statistics;

namespace ChaosLab.Web.Model;

/// <summary>
/// The leaderboard: graded episodes aggregated per agent, suite, task and tier by the store
/// (one GROUP BY), with a t interval of the mean score per row, sorted here, and one overall row
/// per agent over all its graded episodes in the filter. It ranks sealed
/// episodes only (server-drawn seeds, registered agents); practice results are a separate view
/// of the same table. Remembers which rows changed in the last refresh so the page can
/// highlight them.
/// </summary>
public sealed class LeaderboardViewModel(EpisodeStore store, TimeProvider timeProvider)
{
    public static IReadOnlyList<string> Windows { get; } = ["all", "24h", "7d", "30d"];

    public static IReadOnlyList<string> SortKeys { get; } = ["agent", "suite", "task", "tier", "mean", "success", "episodes", "last"];

    private Dictionary<string, LeaderboardRow> _previous = new(StringComparer.Ordinal);

    public LeaderboardFilter Filter { get; private set; } = new();

    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public IReadOnlyList<LeaderboardRow> Rows { get; private set; } = [];

    /// <summary>One row per agent over every graded episode the filter matches, best mean first.</summary>
    public IReadOnlyList<LeaderboardAgentRow> Overall { get; private set; } = [];

    /// <summary>Keys of rows that are new or changed since the previous load of the same filter.</summary>
    public IReadOnlySet<string> Changed { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    public EpisodeFacets Facets { get; private set; } = EpisodeFacets.Empty;

    public async Task LoadAsync(LeaderboardFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sameRows = Filter with { Sort = null } == filter with { Sort = null };
        Filter = filter;
        if (!sameRows || State is not LoadState.Ready and not LoadState.Empty)
        {
            _previous.Clear();
            await QueryAsync(highlight: false, cancellationToken);
        }
        else
        {
            Rows = Sort(Rows, filter.Sort);
        }
    }

    /// <summary>Re-reads the store for the current filter, marking what changed.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => QueryAsync(highlight: true, cancellationToken);

    private async Task QueryAsync(bool highlight, CancellationToken cancellationToken)
    {
        try
        {
            if (Facets == EpisodeFacets.Empty || highlight)
            {
                Facets = await store.FacetsAsync(cancellationToken);
            }

            var groups = await store.LeaderboardAsync(ToQuery(Filter, timeProvider.GetUtcNow()), cancellationToken);
            var rows = groups.Select(LeaderboardRow.From).ToArray();
            Overall = LeaderboardAgentRow.PerAgent(groups);
            Changed = highlight
                ? rows.Where(r => !_previous.TryGetValue(r.Key, out var before) || before != r).Select(r => r.Key).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
            _previous = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
            Rows = Sort(rows, Filter.Sort);
            State = Rows.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The leaderboard could not be read from the episode store: {ex.Message}";
        }
    }

    /// <summary>The store query of a filter at <paramref name="now"/> (the window is relative to it).</summary>
    public static EpisodeQuery ToQuery(LeaderboardFilter filter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new EpisodeQuery
        {
            Suite = filter.Suite,
            TaskId = filter.Task,
            Tier = filter.Tier,
            From = filter.Window switch
            {
                "24h" => now.AddHours(-24),
                "7d" => now.AddDays(-7),
                "30d" => now.AddDays(-30),
                _ => null,
            },
            Mode = filter.Mode,
            GradedOnly = true,
        };
    }

    /// <summary>The episodes page listing the episodes behind a per-task row: the same agent, suite, task, tier, mode and window.</summary>
    public static string EpisodesHref(LeaderboardFilter filter, LeaderboardRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        return EpisodeFilter.Href("episodes", ToQuery(filter, now) with { Agent = row.Agent, Suite = row.Suite, TaskId = row.TaskId, Tier = row.Tier });
    }

    /// <summary>The episodes page listing the episodes behind an agent's overall row: the agent within the leaderboard's filter.</summary>
    public static string EpisodesHref(LeaderboardFilter filter, LeaderboardAgentRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        return EpisodeFilter.Href("episodes", ToQuery(filter, now) with { Agent = row.Agent });
    }

    /// <summary>Sorted by <paramref name="sort"/> ("mean", "-episodes", ...); by default best mean first.</summary>
    public static IReadOnlyList<LeaderboardRow> Sort(IEnumerable<LeaderboardRow> rows, string? sort)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (key, descending) = ParseSort(sort);
        IOrderedEnumerable<LeaderboardRow> ordered = key switch
        {
            "agent" => Order(rows, r => r.Agent, descending),
            "suite" => Order(rows, r => r.Suite, descending),
            "task" => Order(rows, r => r.TaskId, descending),
            "tier" => Order(rows, r => r.Tier, descending),
            "success" => Order(rows, r => r.SuccessRate, descending),
            "episodes" => Order(rows, r => r.Episodes, descending),
            "last" => Order(rows, r => r.LastActivity, descending),
            _ => Order(rows, r => r.Score.Mean, descending),
        };
        return [.. ordered.ThenByDescending(r => r.Episodes).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>"-mean" is (mean, descending); an unknown or missing key means best mean first.</summary>
    public static (string Key, bool Descending) ParseSort(string? sort)
    {
        if (string.IsNullOrEmpty(sort))
        {
            return ("mean", true);
        }

        var descending = sort.StartsWith('-');
        var key = descending ? sort[1..] : sort;
        return SortKeys.Contains(key, StringComparer.Ordinal) ? (key, descending) : ("mean", true);
    }

    /// <summary>The sort after clicking <paramref name="key"/>'s header: the same key flips, a new one starts with names ascending and numbers descending.</summary>
    public static string NextSort(string? current, string key)
    {
        var (currentKey, descending) = ParseSort(current);
        var nextDescending = currentKey == key ? !descending : key is not ("agent" or "suite" or "task" or "tier");
        return (nextDescending ? "-" : "") + key;
    }

    private static IOrderedEnumerable<LeaderboardRow> Order<T>(IEnumerable<LeaderboardRow> rows, Func<LeaderboardRow, T> key, bool descending) =>
        descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
}

/// <summary>The leaderboard's URL state.</summary>
/// <param name="Window">"all", "24h", "7d" or "30d" (by episode start).</param>
/// <param name="Sort">A column key, "-" prefixed for descending; null for best mean first.</param>
/// <param name="Mode">"sealed" (the ranking) or "practice" (shown apart, never ranked with it).</param>
public sealed record LeaderboardFilter(string? Suite = null, string? Task = null, string? Tier = null, string Window = "all", string? Sort = null, string Mode = EpisodeModes.Sealed)
{
    /// <summary>Reads the URL values, dropping an unknown window or mode rather than failing.</summary>
    public static LeaderboardFilter FromUrl(string? suite, string? task, string? tier, string? window, string? sort, string? mode = null) => new(
        Blank(suite), Blank(task), Blank(tier),
        window is not null && LeaderboardViewModel.Windows.Contains(window, StringComparer.Ordinal) ? window : "all",
        Blank(sort),
        mode == EpisodeModes.Practice ? EpisodeModes.Practice : EpisodeModes.Sealed);

    public Dictionary<string, object?> ToParameters() => new(StringComparer.Ordinal)
    {
        ["suite"] = Suite,
        ["task"] = Task,
        ["tier"] = Tier,
        ["window"] = Window == "all" ? null : Window,
        ["sort"] = Sort,
        ["mode"] = Mode == EpisodeModes.Sealed ? null : Mode,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>One leaderboard row.</summary>
/// <param name="SuccessRate">Share of the episodes the suite counted as solved.</param>
public sealed record LeaderboardRow(
    string Agent, string Suite, string TaskId, string Tier, int Episodes, int Correct, double SuccessRate, MeanInterval Score, DateTimeOffset LastActivity)
{
    public string Key => string.Join('\u001f', Agent, Suite, TaskId, Tier);

    public static LeaderboardRow From(LeaderboardGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new LeaderboardRow(
            group.Agent, group.Suite, group.TaskId, group.Tier, group.Episodes, group.Correct,
            group.Episodes == 0 ? 0 : (double)group.Correct / group.Episodes,
            MeanInterval.FromSums(group.Episodes, group.ScoreSum, group.ScoreSquareSum)!.Within(0, 1),
            group.LastActivity);
    }

    public string IntervalText => LeaderboardAgentRow.Interval(Score);
}

/// <summary>
/// An agent's overall result: the mean score of all its graded episodes the filter matches, over
/// every suite, task and tier it played, pooled episode by episode (so a task it played often
/// weighs more), with the t interval of that mean. Agents that played different mixes of tasks
/// are not directly comparable by it; <paramref name="Cells"/> says how many it covers.
/// </summary>
/// <param name="Cells">How many (suite, task, tier) rows the agent has.</param>
public sealed record LeaderboardAgentRow(string Agent, int Cells, int Episodes, int Correct, double SuccessRate, MeanInterval Score, DateTimeOffset LastActivity)
{
    public string IntervalText => Interval(Score);

    /// <summary>One row per agent from the store's groups, best mean first (then more episodes, then the name).</summary>
    public static IReadOnlyList<LeaderboardAgentRow> PerAgent(IEnumerable<LeaderboardGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return
        [
            .. groups
                .GroupBy(g => g.Agent, StringComparer.Ordinal)
                .Select(agent =>
                {
                    var episodes = agent.Sum(g => g.Episodes);
                    var correct = agent.Sum(g => g.Correct);
                    return new LeaderboardAgentRow(
                        agent.Key, agent.Count(), episodes, correct,
                        episodes == 0 ? 0 : (double)correct / episodes,
                        MeanInterval.FromSums(episodes, agent.Sum(g => g.ScoreSum), agent.Sum(g => g.ScoreSquareSum))!.Within(0, 1),
                        agent.Max(g => g.LastActivity));
                })
                .OrderByDescending(r => r.Score.Mean)
                .ThenByDescending(r => r.Episodes)
                .ThenBy(r => r.Agent, StringComparer.Ordinal),
        ];
    }

    internal static string Interval(MeanInterval score) => score.Lower is { } lower && score.Upper is { } upper
        ? string.Create(CultureInfo.InvariantCulture, $"{lower:0.000}–{upper:0.000}")
        : "n/a (1 episode)";
}
