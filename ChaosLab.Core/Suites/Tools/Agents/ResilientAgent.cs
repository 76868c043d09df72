using System.Globalization;

namespace ChaosLab.Core.Suites.Tools.Agents;

/// <summary>
/// Switches paths when one fails, and cross-validates: a value is settled only when two sources
/// agree among the most recent figures (older snapshots are set aside by their dates, and a
/// corrupted value loses to the two that agree). Under a tight step budget it takes the best
/// supported value so far.
/// </summary>
public sealed class ResilientAgent : ScriptedToolsAgent
{
    public override string Name => "resilient";

    private protected override FactSource? Choose(int spare, int laterFacts)
    {
        if (spare <= 0 || Need!.Fields.All(f => Support(f).Count >= 2))
        {
            return null;
        }

        // With a value in hand, confirm it only if that leaves a spare step for each later fact.
        if (Need.Fields.All(f => Support(f).Count >= 1) && spare <= laterFacts)
        {
            return null;
        }

        // Paths not tried yet, those whose tool has not failed in this episode first.
        var tried = Attempts.Select(a => a.Source.Name).ToHashSet(StringComparer.Ordinal);
        var untried = Sources.Where(s => !tried.Contains(s.Name)).OrderBy(s => FailedTools.Contains(s.Tool)).FirstOrDefault();
        if (untried is not null)
        {
            return untried;
        }

        // Every path tried once: give a failed one a second chance (timeouts and 5xx are often transient).
        return Sources.FirstOrDefault(s => Attempts.Count(a => a.Source.Name == s.Name) == 1 && Attempts.Any(a => a.Source.Name == s.Name && a.Failed));
    }

    private protected override string? Pick(string field) => Support(field).FirstOrDefault()?.Value;

    /// <summary>The largest group of agreeing readings among the most recent year's figures.</summary>
    private List<Reading> Support(string field)
    {
        var readings = ReadingsFor(field).ToList();
        if (readings.Count == 0)
        {
            return [];
        }

        var newest = readings.Max(Year);
        var current = readings.Where(r => Year(r) == newest).ToList();
        return current.Select(r => current.Where(o => Agree(r.Value, o.Value)).ToList()).OrderByDescending(g => g.Count).First();
    }

    private static int Year(Reading r) => r.AsOf is { Length: >= 4 } s && int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;

    private static bool Agree(string a, string b)
    {
        if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
        {
            var scale = Math.Max(Math.Abs(x), Math.Abs(y));
            return scale == 0 || Math.Abs(x - y) / scale <= 0.005;
        }

        return string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
