using System.Globalization;
using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// The scenarios page: the studio's rows for the filters in the URL, and the values each filter
/// can take (read from every scenario, so a filter never offers a value that matches nothing).
/// </summary>
public sealed class ScenarioListViewModel(IScenarioStudio studio)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public StudioQuery Query { get; private set; } = new();

    /// <summary>URL values that could not be read (the filter is left out, so the page still shows scenarios).</summary>
    public IReadOnlyList<string> UrlErrors { get; private set; } = [];

    /// <summary>The scenarios that match <see cref="Query"/>.</summary>
    public IReadOnlyList<StudioScenarioRow> Rows { get; private set; } = [];

    /// <summary>Every scenario, whatever the filters: the filters' values and the clone dialog's sources.</summary>
    public IReadOnlyList<StudioScenarioRow> All { get; private set; } = [];

    public bool HasFilters => Query != new StudioQuery();

    public IReadOnlyList<string> Suites => Distinct(r => r.Suite);

    public IReadOnlyList<string> Tasks => Distinct(r => r.TaskId);

    public IReadOnlyList<string> Tiers => Distinct(r => r.Tier);

    public IReadOnlyList<string> Families => Distinct(r => r.Family);

    public async Task LoadAsync(ScenarioListUrl url, CancellationToken cancellationToken = default)
    {
        Query = url.Query;
        UrlErrors = url.Errors;
        State = LoadState.Loading;
        try
        {
            All = await studio.ListAsync(new StudioQuery(), cancellationToken);
            Rows = HasFilters ? await studio.ListAsync(Query, cancellationToken) : All;
            State = Rows.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The scenarios could not be read: {ex.Message}";
        }
    }

    public static string MeanScoreText(StudioScenarioRow row) => row.MeanScore?.ToString("0.000", CultureInfo.InvariantCulture) ?? "–";

    public static string LastChangeText(StudioScenarioRow row) =>
        row.LastChange?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "–";

    private string[] Distinct(Func<StudioScenarioRow, string> value) =>
        [.. All.Select(value).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>
/// The scenarios page's filters as URL query parameters (<c>q</c>, <c>suite</c>, <c>task</c>,
/// <c>tier</c>, <c>family</c>, <c>status</c>), so a filtered list can be bookmarked and shared.
/// </summary>
public sealed record ScenarioListUrl(StudioQuery Query, IReadOnlyList<string> Errors)
{
    private static readonly (ScenarioStatus Status, string Value)[] StatusValues =
    [
        (ScenarioStatus.BuiltIn, "built_in"),
        (ScenarioStatus.Published, "published"),
        (ScenarioStatus.Draft, "draft"),
    ];

    /// <summary>Reads the URL's values; blank means not filtered, an unknown status is reported and left out.</summary>
    public static ScenarioListUrl Parse(string? text, string? suite, string? task, string? tier, string? family, string? status)
    {
        var errors = new List<string>();
        ScenarioStatus? parsed = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            var match = StatusValues.FirstOrDefault(s => string.Equals(s.Value, status.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match.Value is null)
            {
                errors.Add($"Unknown status '{status}'. Valid values: {string.Join(", ", StatusValues.Select(s => s.Value))}.");
            }
            else
            {
                parsed = match.Status;
            }
        }

        return new ScenarioListUrl(new StudioQuery(Blank(text), Blank(suite), Blank(task), Blank(tier), Blank(family), parsed), errors);
    }

    /// <summary>The query parameters of <paramref name="query"/>; null removes a parameter from the URL.</summary>
    public static Dictionary<string, object?> ToParameters(StudioQuery query) => new(StringComparer.Ordinal)
    {
        ["q"] = query.Text,
        ["suite"] = query.Suite,
        ["task"] = query.TaskId,
        ["tier"] = query.Tier,
        ["family"] = query.Family,
        ["status"] = query.Status is { } status ? StatusValue(status) : null,
    };

    public static string StatusValue(ScenarioStatus status) => StatusValues.First(s => s.Status == status).Value;

    /// <summary>How a status reads on the page.</summary>
    public static string StatusText(ScenarioStatus status) => status switch
    {
        ScenarioStatus.BuiltIn => "built-in",
        ScenarioStatus.Published => "published",
        _ => "draft",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
