using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Primitives;

namespace ChaosLab.Web.Components.Pages;

/// <summary>
/// A page whose episode filters live in the URL, with the same parameter names as
/// <c>GET /api/episodes</c> (Episodes and Analytics share them, so a view moves between them).
/// </summary>
public abstract class EpisodeFilterPage : ComponentBase
{
    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "suite")]
    public string? Suite { get; set; }

    [SupplyParameterFromQuery(Name = "task")]
    public string? Task { get; set; }

    [SupplyParameterFromQuery(Name = "tier")]
    public string? Tier { get; set; }

    [SupplyParameterFromQuery(Name = "scenario")]
    public string? Scenario { get; set; }

    [SupplyParameterFromQuery(Name = "agent")]
    public string? Agent { get; set; }

    [SupplyParameterFromQuery(Name = "outcome")]
    public string? Outcome { get; set; }

    [SupplyParameterFromQuery(Name = "mode")]
    public string? Mode { get; set; }

    [SupplyParameterFromQuery(Name = "min_score")]
    public string? MinScore { get; set; }

    [SupplyParameterFromQuery(Name = "max_score")]
    public string? MaxScore { get; set; }

    [SupplyParameterFromQuery(Name = "fault")]
    public string[]? Faults { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Text { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public string? PageNumber { get; set; }

    /// <summary>The URL's filter parameters as the parser reads them.</summary>
    protected Dictionary<string, StringValues> UrlParameters() => new(StringComparer.Ordinal)
    {
        ["suite"] = Suite,
        ["task"] = Task,
        ["tier"] = Tier,
        ["scenario"] = Scenario,
        ["agent"] = Agent,
        ["outcome"] = Outcome,
        ["mode"] = Mode,
        ["min_score"] = MinScore,
        ["max_score"] = MaxScore,
        ["fault"] = Faults ?? [],
        ["from"] = From,
        ["to"] = To,
        ["q"] = Text,
        ["sort"] = Sort,
        ["page"] = PageNumber,
    };
}
