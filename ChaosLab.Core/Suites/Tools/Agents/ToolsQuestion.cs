using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosLab.Core.Suites.Tools.Agents;

/// <summary>What a tools-suite question asks, read from its text (the scripted agents know the question forms).</summary>
internal sealed partial record ToolsQuestion(string Family, IReadOnlyList<string> Names, double? Claim = null, string? TicketId = null)
{
    public static ToolsQuestion? Parse(string question)
    {
        Match m;
        if ((m = Population().Match(question)).Success)
        {
            return new("population", [m.Groups[1].Value]);
        }

        if ((m = GdpPerCapita().Match(question)).Success)
        {
            return new("gdp_per_capita", [m.Groups[1].Value]);
        }

        if ((m = Density().Match(question)).Success)
        {
            return new("density", [m.Groups[1].Value, m.Groups[2].Value]);
        }

        if ((m = Revenue().Match(question)).Success)
        {
            return new("revenue_claim", [m.Groups[1].Value], double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        if ((m = Launch().Match(question)).Success)
        {
            return new("launch_date", [m.Groups[2].Value]);
        }

        if ((m = Days().Match(question)).Success)
        {
            return new("days_between", [m.Groups[1].Value, m.Groups[2].Value]);
        }

        if ((m = Ceo().Match(question)).Success)
        {
            return new("ceo", [m.Groups[1].Value]);
        }

        if ((m = Ticket().Match(question)).Success)
        {
            return new("ticket", [m.Groups[2].Value], TicketId: m.Groups[1].Value);
        }

        return null;
    }

    [GeneratedRegex(@"^What is the population of (.+?), according")]
    private static partial Regex Population();

    [GeneratedRegex(@"whose capital is (.+?)\? Use")]
    private static partial Regex GdpPerCapita();

    [GeneratedRegex(@"^Which of (.+?) and (.+?) is more densely")]
    private static partial Regex Density();

    [GeneratedRegex(@"^(.+?) claims its FY\d{4} revenue was \$([\d.]+) billion")]
    private static partial Regex Revenue();

    [GeneratedRegex(@"^On what date did (.+?) launch the (.+?)\? Answer")]
    private static partial Regex Launch();

    [GeneratedRegex(@"between the launch of the (.+?) and the (.+?)\?$")]
    private static partial Regex Days();

    [GeneratedRegex(@"headquartered in the capital of (.+?)\?$")]
    private static partial Regex Ceo();

    [GeneratedRegex(@"^Ticket (TCK-\d+) asks for the verified FY\d{4} revenue of (.+?)\. Verify")]
    private static partial Regex Ticket();
}
