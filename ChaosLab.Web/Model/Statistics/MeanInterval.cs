using ChaosLab.Core.Statistics;

namespace ChaosLab.Web.Model.Statistics;

/// <summary>
/// A sample mean with its two-sided 95% Student-t confidence interval:
/// mean ± t(0.975, n − 1) · s / √n, with s the sample standard deviation (n − 1 in the divisor).
/// With one value there is no spread to estimate, so the interval is absent rather than zero.
/// </summary>
public sealed record MeanInterval(int Count, double Mean, double? Lower, double? Upper)
{
    /// <summary>Half the interval's width, or null without one.</summary>
    public double? HalfWidth => Upper - Mean;

    /// <summary>
    /// The interval cut to the range the values can take (scores lie in [0, 1]): with few
    /// episodes the t interval reaches far outside it, which says nothing but reads as a bug.
    /// </summary>
    public MeanInterval Within(double minimum, double maximum) =>
        this with { Lower = Lower is { } lower ? Math.Max(minimum, lower) : null, Upper = Upper is { } upper ? Math.Min(maximum, upper) : null };

    /// <returns>Null for an empty sample.</returns>
    public static MeanInterval? FromValues(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = 0;
        double sum = 0, squares = 0;
        foreach (var value in values)
        {
            n++;
            sum += value;
            squares += value * value;
        }

        return FromSums(n, sum, squares);
    }

    /// <summary>From the count, the sum and the sum of squares (what a SQL GROUP BY returns).</summary>
    /// <returns>Null for an empty sample.</returns>
    public static MeanInterval? FromSums(int count, double sum, double sumOfSquares)
    {
        if (count <= 0)
        {
            return null;
        }

        var mean = sum / count;
        if (count == 1)
        {
            return new MeanInterval(1, mean, null, null);
        }

        // Rounding can make a zero variance come out a hair below zero.
        var variance = Math.Max(0, (sumOfSquares - (sum * sum / count)) / (count - 1));
        var halfWidth = StudentT.Quantile975(count - 1) * Math.Sqrt(variance / count);
        return new MeanInterval(count, mean, mean - halfWidth, mean + halfWidth);
    }
}
