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

/// <summary>The Student t distribution's 97.5% quantile: the factor of a two-sided 95% interval.</summary>
public static class StudentT
{
    // Exact values for 1-30 degrees of freedom (to 9 digits).
    private static readonly double[] Table =
    [
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
        2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
        2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
    ];

    private const double Z975 = 1.959963984540054;

    public static double Quantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Table.Length)
        {
            return Table[degreesOfFreedom - 1];
        }

        // Cornish-Fisher expansion around the normal quantile; within 1e-6 of the exact value from 31 on.
        double v = degreesOfFreedom, z = Z975, z2 = z * z;
        var z3 = z2 * z;
        var z5 = z3 * z2;
        var z7 = z5 * z2;
        var z9 = z7 * z2;
        return z
            + ((z3 + z) / (4 * v))
            + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * v * v))
            + (((3 * z7) + (19 * z5) + (17 * z3) - (15 * z)) / (384 * v * v * v))
            + (((79 * z9) + (776 * z7) + (1482 * z5) - (1920 * z3) - (945 * z)) / (92160 * v * v * v * v));
    }
}
