using ChaosLab.Core.Scenarios.Studio;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// The scenarios page's export choices: plain download links to <c>GET /api/scenarios/export</c>
/// for the published scenarios the list shows, and (when filters hide some) for every stored one.
/// Built-in scenarios are never exported (every build has them); drafts have nothing to export
/// until they are published.
/// </summary>
public sealed class ScenarioExportMenu
{
    /// <summary>The export route. The dashboard's base is <c>/web/</c> and the API is not under it, so the link is rooted.</summary>
    public const string ExportPath = "/api/scenarios/export";

    public const string BuiltInNote = "Built-in scenarios are never exported: every build has them.";

    // Kestrel refuses request lines over 8 KiB (414); a link naming more ids than fit is not offered.
    internal const int MaxHrefLength = 6_000;

    private ScenarioExportMenu(IReadOnlyList<string> shownIds, int storedCount, bool shownAreAll, string? disabledReason)
    {
        ShownIds = shownIds;
        StoredCount = storedCount;
        ShownAreAll = shownAreAll;
        DisabledReason = disabledReason;
    }

    /// <summary>The ids of the published scenarios among the rows shown, in list order.</summary>
    public IReadOnlyList<string> ShownIds { get; }

    /// <summary>How many stored scenarios have a published version (filtered out or not).</summary>
    public int StoredCount { get; }

    /// <summary>True when the rows shown hold every stored scenario, so one choice covers both.</summary>
    public bool ShownAreAll { get; }

    /// <summary>Why the export button is disabled (no published scenario in view); null when it is enabled.</summary>
    public string? DisabledReason { get; }

    /// <summary>Why the shown scenarios cannot be named in one link (too many), or null when they can.</summary>
    public string? ShownUnavailableReason =>
        !ShownAreAll && ShownHref(PackFileFormat.Json).Length > MaxHrefLength
            ? $"{ShownIds.Count} scenarios are too many to name in one link: export all stored scenarios, or filter further."
            : null;

    public static ScenarioExportMenu For(IReadOnlyList<StudioScenarioRow> shown, IReadOnlyList<StudioScenarioRow> all)
    {
        var shownIds = Exportable(shown);
        var stored = Exportable(all);
        var shownAreAll = shownIds.Count == stored.Count && shownIds.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(stored);
        var reason = shownIds.Count > 0
            ? null
            : "No published scenario in view. " + BuiltInNote + " Drafts can be exported once published."
              + (stored.Count > 0 ? " Clear the filters to export every stored scenario." : "");
        return new ScenarioExportMenu(shownIds, stored.Count, shownAreAll, reason);
    }

    /// <summary>The link for the shown scenarios: without ids when they are all the stored ones, which keeps it short.</summary>
    public string ShownHref(PackFileFormat format) => Href(ShownAreAll ? [] : ShownIds, format);

    public static string AllHref(PackFileFormat format) => Href([], format);

    /// <summary><c>/api/scenarios/export?id=a&amp;id=b&amp;format=zip</c>; no id means every stored scenario.</summary>
    public static string Href(IReadOnlyList<string> ids, PackFileFormat format) =>
        ExportPath + "?" + string.Join("&", ids.Select(id => "id=" + Uri.EscapeDataString(id)).Append("format=" + FormatValue(format)));

    public static string FormatValue(PackFileFormat format) => format == PackFileFormat.Zip ? "zip" : "json";

    private static List<string> Exportable(IEnumerable<StudioScenarioRow> rows) =>
        [.. rows.Where(r => r.Status != ScenarioStatus.BuiltIn && r.PublishedVersion is not null).Select(r => r.Id)];
}

/// <summary>The file a pack is exported as.</summary>
public enum PackFileFormat
{
    /// <summary>One canonical JSON document.</summary>
    Json,

    /// <summary>A zip of one canonical JSON file per version.</summary>
    Zip,
}
