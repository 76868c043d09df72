namespace ChaosLab.Core.Statistics;

/// <summary>
/// The Wilson score interval of a proportion at 95%: unlike the normal approximation it stays
/// inside [0, 1] and is sensible for 0 or n successes and small n.
/// </summary>
public static class Wilson
{
    private const double Z = 1.959963984540054;

    /// <returns>Null for no trials.</returns>
    public static (double Lower, double Upper)? Interval95(int successes, int trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        if (trials == 0)
        {
            return null;
        }

        double n = trials, p = successes / n, z2 = Z * Z;
        var denominator = 1 + (z2 / n);
        var center = (p + (z2 / (2 * n))) / denominator;
        var half = Z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return (Math.Max(0, center - half), Math.Min(1, center + half));
    }
}
