using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosLab.Core.Grading;

/// <summary>Finds calendar dates in text.</summary>
/// <remarks>
/// Accepted: "2024-03-05", "2024/03/05", "5 March 2024", "5th of March 2024", "March 5, 2024",
/// "Mar 5 2024" (month names in English, full or abbreviated). A numeric date with the year last
/// ("03/05/2024", "03-05-2024") is never a date: it reads March 5 in the US and May 3 in Europe,
/// and guessing would make the grade depend on the agent's locale. Even "25/03/2024", which has
/// one reading, is refused so that the rule stays simple for agents to follow.
/// </remarks>
public static partial class DateExtractor
{
    private const string Month =
        "(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    public static IReadOnlyList<ExtractedDate> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dates = new List<ExtractedDate>();
        foreach (var regex in (ReadOnlySpan<Regex>)[IsoDate(), DayMonthYear(), MonthDayYear()])
        {
            foreach (Match match in regex.Matches(text))
            {
                if (ToDate(match) is { } date && !dates.Exists(d => Overlaps(d.Start, d.Length, match.Index, match.Length)))
                {
                    dates.Add(new ExtractedDate(date, match.Index, match.Length, match.Value));
                }
            }
        }

        dates.Sort((a, b) => a.Start.CompareTo(b.Start));
        return dates;
    }

    /// <summary>
    /// Sorted, disjoint spans that talk about time, which must not be read as quantities: full dates,
    /// "March 2024", a year after a time word ("as of 2025", "in 2024", "FY 2023"), and numeric
    /// dates refused above.
    /// </summary>
    internal static List<Range> FindDateLikeSpans(string text)
    {
        var spans = new List<Range>();
        foreach (var regex in (ReadOnlySpan<Regex>)[IsoDate(), DayMonthYear(), MonthDayYear(), MonthYear(), YearAfterTimeWord(), NumericDateYearLast()])
        {
            foreach (Match match in regex.Matches(text))
            {
                spans.Add(new Range(match.Index, match.Index + match.Length));
            }
        }

        return Merge(spans);
    }

    /// <summary>Sorted, disjoint spans covering the same characters.</summary>
    private static List<Range> Merge(List<Range> spans)
    {
        spans.Sort((a, b) => a.Start.Value.CompareTo(b.Start.Value));
        var merged = new List<Range>(spans.Count);
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start.Value < merged[^1].End.Value)
            {
                var last = merged[^1];
                merged[^1] = new Range(last.Start, Math.Max(last.End.Value, span.End.Value));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    internal static bool Overlaps(int startA, int lengthA, int startB, int lengthB) =>
        startA < startB + lengthB && startB < startA + lengthA;

    private static DateOnly? ToDate(Match match)
    {
        var year = int.Parse(match.Groups["y"].ValueSpan, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups["d"].ValueSpan, CultureInfo.InvariantCulture);
        var month = match.Groups["month"].Success
            ? MonthNumber(match.Groups["month"].Value)
            : int.Parse(match.Groups["m"].ValueSpan, CultureInfo.InvariantCulture);
        var valid = year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
        return valid ? new DateOnly(year, month, day) : null;
    }

    private static int MonthNumber(string name) => name[..3].ToLowerInvariant() switch
    {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        _ => 12,
    };

    // Year first, '-' or '/' used consistently: 2024-03-05, 2024/3/5. A following time ("T10:00") is fine.
    [GeneratedRegex(@"(?<![\w.\-/])(?<y>\d{4})(?<sep>[-/])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})(?![\d/]|-\d)", Options)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+" + Month + @",?[ \t]+(?<y>\d{4})\b", Options)]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"\b" + Month + @"[ \t]+(?<d>\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(?<y>\d{4})\b", Options)]
    private static partial Regex MonthDayYear();

    [GeneratedRegex(@"\b" + Month + @",?[ \t]+(?<y>\d{4})\b", Options)]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"\b(?:as[ \t]+of|in|since|during|until|till|through|from|end[ \t]+of|fy|fiscal(?:[ \t]+year)?|year|q[1-4]|h[12]|circa|early|mid|late)[ \t\-]+(?<y>\d{4})\b(?![.,]\d)", Options)]
    private static partial Regex YearAfterTimeWord();

    [GeneratedRegex(@"(?<![\w/.\-])\d{1,2}(?<sep>[/.\-])\d{1,2}\k<sep>\d{2,4}(?![\w/]|[.\-]\d)", Options)]
    private static partial Regex NumericDateYearLast();
}
