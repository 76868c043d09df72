using System.Text;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// What each family asks and about whom: its default question template, the placeholders a
/// template may use (filled from the entities the scenario picks), and the named targets a fixed
/// world must give.
/// </summary>
public static class ScenarioQuestions
{
    public static string DefaultTemplate(ScenarioFamily family) => family switch
    {
        ScenarioFamily.Population => "What is the population of {country}, according to the most recent figures?",
        ScenarioFamily.GdpPerCapita => "What is the GDP per capita, in US dollars, of the country whose capital is {capital}? Use the most recent figures.",
        ScenarioFamily.Density => "Which of {country} and {other_country} is more densely populated (people per square kilometre), and by what factor? Use the most recent figures.",
        ScenarioFamily.RevenueClaim => "{company} claims its FY{year} revenue was ${claim} billion. Is the claim accurate (within 2%)? Give the real FY{year} revenue, verified by two independent sources.",
        ScenarioFamily.LaunchDate => "On what date did {company} launch the {product}? Answer as YYYY-MM-DD.",
        ScenarioFamily.DaysBetween => "How many days passed between the launch of the {product} and the {event}?",
        ScenarioFamily.CeoMultiHop => "Who is the current chief executive of the company headquartered in the capital of {country}?",
        ScenarioFamily.TicketRevenue => "Ticket {ticket} asks for the verified FY{year} revenue of {company}. Verify the figure, record it on the ticket (field {field}, a plain number in USD billions) and set the ticket's status to resolved; then submit a short summary.",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown family"),
    };

    /// <summary>The placeholders a family's question can be filled with.</summary>
    public static IReadOnlyList<string> Placeholders(ScenarioFamily family) => family switch
    {
        ScenarioFamily.Population => ["country"],
        ScenarioFamily.GdpPerCapita => ["capital", "country"],
        ScenarioFamily.Density => ["country", "other_country"],
        ScenarioFamily.RevenueClaim => ["company", "claim", "year"],
        ScenarioFamily.LaunchDate => ["company", "product"],
        ScenarioFamily.DaysBetween => ["product", "event"],
        ScenarioFamily.CeoMultiHop => ["country"],
        ScenarioFamily.TicketRevenue => ["ticket", "company", "year", "field"],
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown family"),
    };

    /// <summary>The entities a fixed world names for a family, by role.</summary>
    public static IReadOnlyList<string> TargetRoles(ScenarioFamily family) => family switch
    {
        ScenarioFamily.Population or ScenarioFamily.CeoMultiHop => ["country"],
        ScenarioFamily.GdpPerCapita => ["capital"],
        ScenarioFamily.Density => ["country", "other_country"],
        ScenarioFamily.RevenueClaim or ScenarioFamily.TicketRevenue => ["company"],
        ScenarioFamily.LaunchDate => ["product"],
        ScenarioFamily.DaysBetween => ["product", "event"],
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown family"),
    };

    /// <summary>The placeholders in a template that its family does not fill.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template, ScenarioFamily family)
    {
        var known = Placeholders(family);
        return [.. Names(template).Where(n => !known.Contains(n)).Distinct()];
    }

    internal static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder(template.Length + 64);
        var position = 0;
        foreach (var (start, name) in Spans(template))
        {
            text.Append(template, position, start - position).Append(values[name]);
            position = start + name.Length + 2;
        }

        return text.Append(template, position, template.Length - position).ToString();
    }

    private static IEnumerable<string> Names(string template) => Spans(template).Select(s => s.Name);

    private static IEnumerable<(int Start, string Name)> Spans(string template)
    {
        for (var open = template.IndexOf('{', StringComparison.Ordinal); open >= 0; open = template.IndexOf('{', open + 1))
        {
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                yield break;
            }

            yield return (open, template[(open + 1)..close]);
        }
    }
}
