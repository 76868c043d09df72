namespace ChaosLab.Web.Model.Statistics;

/// <summary>
/// Five numbers of a box plot. Quartiles interpolate linearly between order statistics
/// (numpy's default, "type 7"); whiskers reach the furthest values within 1.5 IQR of the box.
/// </summary>
public sealed record BoxSummary(int Count, double Min, double LowerWhisker, double Q1, double Median, double Q3, double UpperWhisker, double Max, double Mean)
{
    /// <returns>Null for an empty sample.</returns>
    public static BoxSummary? From(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var q1 = Quantile(sorted, 0.25);
        var q3 = Quantile(sorted, 0.75);
        var reach = 1.5 * (q3 - q1);
        return new BoxSummary(
            sorted.Length,
            sorted[0],
            sorted.First(v => v >= q1 - reach),
            q1,
            Quantile(sorted, 0.5),
            q3,
            sorted.Last(v => v <= q3 + reach),
            sorted[^1],
            sorted.Average());
    }

    /// <summary>The <paramref name="p"/> quantile of ascending <paramref name="sorted"/> values, interpolated.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var position = (sorted.Count - 1) * p;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}

/// <summary>Counts of values in bins.</summary>
/// <param name="Labels">One label per bin, e.g. "0.2–0.3" or "4".</param>
public sealed record Histogram(IReadOnlyList<string> Labels, IReadOnlyList<int> Counts)
{
    /// <summary>
    /// <paramref name="bins"/> equal bins over [0, 1], each closed on the left and open on the right
    /// except the last, which includes 1 (a perfect score belongs to the top bin).
    /// </summary>
    public static Histogram OfScores(IEnumerable<double> scores, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var counts = new int[bins];
        foreach (var score in scores)
        {
            var bin = (int)Math.Floor(Math.Clamp(score, 0, 1) * bins);
            counts[Math.Min(bin, bins - 1)]++;
        }

        var labels = Enumerable.Range(0, bins)
            .Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(double)i / bins:0.##}–{(double)(i + 1) / bins:0.##}"))
            .ToArray();
        return new Histogram(labels, counts);
    }

    /// <summary>One bin per whole number from the smallest to the largest value (none for an empty sample).</summary>
    public static Histogram OfIntegers(IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var all = values.ToArray();
        if (all.Length == 0)
        {
            return new Histogram([], []);
        }

        var min = all.Min();
        var counts = new int[all.Max() - min + 1];
        foreach (var value in all)
        {
            counts[value - min]++;
        }

        return new Histogram(
            [.. Enumerable.Range(min, counts.Length).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            counts);
    }
}
