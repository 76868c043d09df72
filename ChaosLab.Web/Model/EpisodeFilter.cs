using System.Globalization;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ChaosLab.Web.Model;

/// <summary>
/// The episode filters in a page's URL. The parameters are exactly those of
/// <c>GET /api/episodes</c> (suite, task, tier, scenario, agent, outcome, mode, min_score, max_score,
/// fault, from, to, q, sort, page), read by the same parser, so a dashboard view and an API
/// call share one vocabulary and one set of error messages.
/// </summary>
public static class EpisodeFilter
{
    public const int PageSize = 50;

    /// <summary>Every parameter a filtered page owns; unset ones are removed from the URL.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } =
        [.. EpisodeQueryParser.Parameters.Except(EpisodeQueryParser.ApiOnlyParameters, StringComparer.Ordinal)];

    /// <returns>The query, or null with <paramref name="errors"/> (one message per bad parameter).</returns>
    public static EpisodeQuery? Parse(IReadOnlyDictionary<string, StringValues> parameters, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var given = parameters
            .Where(p => !StringValues.IsNullOrEmpty(p.Value))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var query = EpisodeQueryParser.Parse(new QueryCollection(given), out var problems);
        errors = [.. problems.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)];
        return query is null ? null : query with { PageSize = PageSize };
    }

    /// <summary>The URL parameters of <paramref name="query"/>: defaults are null (left out), so URLs stay short.</summary>
    public static Dictionary<string, object?> ToParameters(EpisodeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["suite"] = query.Suite,
            ["task"] = query.TaskId,
            ["tier"] = query.Tier,
            ["scenario"] = query.ScenarioId,
            ["agent"] = query.Agent,
            ["outcome"] = query.Outcome,
            ["mode"] = query.Mode,
            ["min_score"] = query.MinScore?.ToString("R", CultureInfo.InvariantCulture),
            ["max_score"] = query.MaxScore?.ToString("R", CultureInfo.InvariantCulture),
            ["fault"] = query.FaultKinds.Count == 0 ? null : query.FaultKinds.ToArray(),
            ["from"] = Time(query.From),
            ["to"] = Time(query.To),
            ["q"] = string.IsNullOrEmpty(query.Text) ? null : query.Text,
            ["sort"] = query.Sort == EpisodeSortKey.StartedAt && query.Descending ? null : SortParameter(query.Sort, query.Descending),
            ["page"] = query.Page == 1 ? null : query.Page.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A relative link to <paramref name="path"/> with <paramref name="query"/>'s filters in its query string.</summary>
    public static string Href(string path, EpisodeQuery query)
    {
        var pairs = ToParameters(query).SelectMany(p => p.Value switch
        {
            string value => [(p.Key, value)],
            string[] values => values.Select(v => (p.Key, v)),
            _ => [],
        });
        var queryString = string.Join('&', pairs.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Item2)));
        return queryString.Length == 0 ? path : path + "?" + queryString;
    }

    public static string SortParameter(EpisodeSortKey key, bool descending) => (descending ? "-" : "") + SortName(key);

    private static string SortName(EpisodeSortKey key) => key switch
    {
        EpisodeSortKey.Score => "score",
        EpisodeSortKey.Steps => "steps",
        EpisodeSortKey.Agent => "agent",
        _ => "started_at",
    };

    /// <summary>
    /// The query as the data grid asks for it: sorted by the column bound to <paramref name="column"/>
    /// (an <see cref="EpisodeSummary"/> property; none or an unsortable one means newest first) and on
    /// the 0-based <paramref name="pageIndex"/>. A new sort starts again at the first page.
    /// </summary>
    public static EpisodeQuery Arranged(EpisodeQuery query, string? column, bool descending, int pageIndex)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (key, isDescending) = column switch
        {
            nameof(EpisodeSummary.Score) => (EpisodeSortKey.Score, descending),
            nameof(EpisodeSummary.StepCount) => (EpisodeSortKey.Steps, descending),
            nameof(EpisodeSummary.Agent) => (EpisodeSortKey.Agent, descending),
            nameof(EpisodeSummary.StartedAt) => (EpisodeSortKey.StartedAt, descending),
            _ => (EpisodeSortKey.StartedAt, true),
        };
        var page = key == query.Sort && isDescending == query.Descending ? Math.Max(1, pageIndex + 1) : 1;
        return query with { Sort = key, Descending = isDescending, Page = page };
    }

    /// <summary>The <see cref="EpisodeSummary"/> property the grid sorts by for <paramref name="key"/>.</summary>
    public static string SortColumn(EpisodeSortKey key) => key switch
    {
        EpisodeSortKey.Score => nameof(EpisodeSummary.Score),
        EpisodeSortKey.Steps => nameof(EpisodeSummary.StepCount),
        EpisodeSortKey.Agent => nameof(EpisodeSummary.Agent),
        _ => nameof(EpisodeSummary.StartedAt),
    };

    // Whole days print as dates (what the date inputs produce), anything else as full UTC times.
    private static string? Time(DateTimeOffset? time) => time switch
    {
        null => null,
        { } t when t.Offset == TimeSpan.Zero && t.TimeOfDay == TimeSpan.Zero => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        { } t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
    };
}

/// <summary>The filter form's editable state: strings as typed, turned into URL parameters on submit.</summary>
public sealed class EpisodeFilterForm
{
    public string? Suite { get; set; }
    public string? Task { get; set; }
    public string? Tier { get; set; }
    public string? Scenario { get; set; }
    public string? Agent { get; set; }
    public string? Outcome { get; set; }
    public string? Mode { get; set; }
    public string? MinScore { get; set; }
    public string? MaxScore { get; set; }
    public HashSet<string> Faults { get; } = new(StringComparer.Ordinal);
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Text { get; set; }

    public static EpisodeFilterForm Of(EpisodeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = EpisodeFilter.ToParameters(query);
        var form = new EpisodeFilterForm
        {
            Suite = query.Suite,
            Task = query.TaskId,
            Tier = query.Tier,
            Scenario = query.ScenarioId,
            Agent = query.Agent,
            Outcome = query.Outcome,
            Mode = query.Mode,
            MinScore = (string?)parameters["min_score"],
            MaxScore = (string?)parameters["max_score"],
            From = (string?)parameters["from"],
            To = (string?)parameters["to"],
            Text = query.Text,
        };
        form.Faults.UnionWith(query.FaultKinds);
        return form;
    }

    /// <summary>URL parameters for these filters, keeping <paramref name="sort"/> and starting at page 1.</summary>
    public Dictionary<string, object?> ToParameters(string? sort) => new(StringComparer.Ordinal)
    {
        ["suite"] = Blank(Suite),
        ["task"] = Blank(Task),
        ["tier"] = Blank(Tier),
        ["scenario"] = Blank(Scenario),
        ["agent"] = Blank(Agent),
        ["outcome"] = Blank(Outcome),
        ["mode"] = Blank(Mode),
        ["min_score"] = Blank(MinScore),
        ["max_score"] = Blank(MaxScore),
        ["fault"] = Faults.Count == 0 ? null : Faults.Order(StringComparer.Ordinal).ToArray(),
        ["from"] = Blank(From),
        ["to"] = Blank(To),
        ["q"] = Blank(Text),
        ["sort"] = sort,
        ["page"] = null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
