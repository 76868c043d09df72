using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// Reads the episode filters from a query string. Every problem is reported against the
/// parameter's name, and unknown parameters are refused rather than ignored: a misspelt filter
/// (<c>task_id=</c> for <c>task=</c>) would otherwise silently return everything.
/// </summary>
internal static class EpisodeQueryParser
{
    public const int MaxPageSize = 500;
    public const int MaxTextLength = 200;

    private static readonly Dictionary<string, EpisodeSortKey> SortKeys = new(StringComparer.Ordinal)
    {
        ["started_at"] = EpisodeSortKey.StartedAt,
        ["score"] = EpisodeSortKey.Score,
        ["steps"] = EpisodeSortKey.Steps,
        ["agent"] = EpisodeSortKey.Agent,
    };

    /// <summary>Every episode query parameter, the one list the API and the dashboard's URLs share.</summary>
    public static IReadOnlyList<string> Parameters { get; } =
    [
        "suite", "task", "tier", "scenario", "agent", "outcome", "client", "mode", "min_score", "max_score", "fault",
        "from", "to", "q", "sort", "page", "page_size",
    ];

    /// <summary>Parameters only API clients set: the dashboard's pages have their own page size and no client filter.</summary>
    public static IReadOnlyList<string> ApiOnlyParameters { get; } = ["client", "page_size"];

    /// <returns>The query, or null with <paramref name="errors"/> keyed by parameter name.</returns>
    public static EpisodeQuery? Parse(IQueryCollection parameters, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        errors = found;
        foreach (var name in parameters.Keys.Where(k => !Parameters.Contains(k, StringComparer.Ordinal)))
        {
            found[name] = [$"Unknown parameter '{name}'. Known parameters: {string.Join(", ", Parameters)}."];
        }

        var query = new EpisodeQuery
        {
            Suite = Single(parameters, "suite", found),
            TaskId = Single(parameters, "task", found),
            Tier = Single(parameters, "tier", found),
            ScenarioId = Single(parameters, "scenario", found),
            Agent = Single(parameters, "agent", found),
            Outcome = Single(parameters, "outcome", found),
            ClientKind = Single(parameters, "client", found),
            Mode = Single(parameters, "mode", found),
            MinScore = Number(parameters, "min_score", found),
            MaxScore = Number(parameters, "max_score", found),
            FaultKinds = [.. parameters["fault"].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct(StringComparer.Ordinal)],
            From = Time(parameters, "from", found),
            To = Time(parameters, "to", found),
            Text = Single(parameters, "q", found),
            Page = Integer(parameters, "page", 1, 1, int.MaxValue, found),
            PageSize = Integer(parameters, "page_size", 50, 1, MaxPageSize, found),
        };

        if (query.Text is { Length: > MaxTextLength })
        {
            found["q"] = [$"The search text is {query.Text.Length} characters long; at most {MaxTextLength} are allowed."];
        }

        if (query.Mode is { } mode && EpisodeModes.Parse(mode) is null)
        {
            found["mode"] = [$"Unknown mode '{mode}'. Known modes: {string.Join(", ", EpisodeModes.Names)}."];
        }

        if (query.MinScore > query.MaxScore)
        {
            found["min_score"] = [$"min_score ({query.MinScore?.ToString(CultureInfo.InvariantCulture)}) is greater than max_score ({query.MaxScore?.ToString(CultureInfo.InvariantCulture)})."];
        }

        if (query.From >= query.To)
        {
            found["from"] = ["from must be earlier than to."];
        }

        if (Single(parameters, "sort", found) is { } sort)
        {
            var descending = sort.StartsWith('-');
            if (SortKeys.TryGetValue(descending ? sort[1..] : sort, out var key))
            {
                query = query with { Sort = key, Descending = descending };
            }
            else
            {
                found["sort"] = [$"Unknown sort '{sort}'. Sort by one of {string.Join(", ", SortKeys.Keys)}, with a '-' prefix for descending order."];
            }
        }
        else
        {
            query = query with { Sort = EpisodeSortKey.StartedAt, Descending = true };
        }

        if (query.Page > 1 && (long)(query.Page - 1) * query.PageSize > int.MaxValue)
        {
            found["page"] = ["The page is beyond any possible result."];
        }

        return found.Count == 0 ? query : null;
    }

    private static string? Single(IQueryCollection parameters, string name, Dictionary<string, string[]> errors)
    {
        if (!parameters.TryGetValue(name, out var values))
        {
            return null;
        }

        var given = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
        if (given.Length > 1)
        {
            errors[name] = [$"Give {name} at most once."];
            return null;
        }

        return given.Length == 1 ? given[0]!.Trim() : null;
    }

    private static double? Number(IQueryCollection parameters, string name, Dictionary<string, string[]> errors)
    {
        if (Single(parameters, name, errors) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a number."];
        return null;
    }

    private static int Integer(IQueryCollection parameters, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (Single(parameters, name, errors) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [max == int.MaxValue
            ? $"'{text}' is not a whole number of at least {min}."
            : $"'{text}' is not a whole number from {min} to {max}."];
        return fallback;
    }

    private static DateTimeOffset? Time(IQueryCollection parameters, string name, Dictionary<string, string[]> errors)
    {
        if (Single(parameters, name, errors) is not { } text)
        {
            return null;
        }

        // An unencoded '+' of an offset arrives as a space.
        var iso = text.Replace(' ', '+');
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];
        if (DateTimeOffset.TryParseExact(iso, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors[name] = [$"'{text}' is not an ISO 8601 timestamp (e.g. 2026-11-21T09:30:00Z or 2026-11-21; no offset means UTC)."];
        return null;
    }
}
