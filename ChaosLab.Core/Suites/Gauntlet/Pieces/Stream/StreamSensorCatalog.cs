using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// The sensors a case draws from. Pressure and shaft speed legitimately read above 900, so a
/// "drop everything over 900" filter loses real data; the others sit far below it, so their
/// spikes stay under 900 too.
/// </summary>
internal static class StreamSensorCatalog
{
    private sealed record Kind(string Prefix, string Quantity, double MinCenter, double MaxCenter, double MinSigma, double MaxSigma, bool WholeNumbers);

    private static readonly Kind[] High =
    [
        new("p", "pressure (hPa)", 995, 1030, 0.8, 2.0, false),
        new("r", "shaft speed (rpm)", 1400, 3000, 10, 30, true),
    ];

    private static readonly Kind[] Low =
    [
        new("t", "temperature (°C)", 15, 30, 0.3, 0.8, false),
        new("h", "humidity (%)", 35, 70, 1, 2, false),
        new("v", "vibration (mm/s)", 2, 6, 0.2, 0.5, false),
        new("f", "flow (L/min)", 120, 300, 2, 5, false),
    ];

    /// <summary>Two to four sensors: most cases have one that reads above 900, every case has one that reads far below.</summary>
    public static IReadOnlyList<StreamSensor> Draw(DeterministicRandom random)
    {
        var count = random.Next(2, 5);
        var kinds = new List<Kind>();
        if (random.NextDouble() < 0.85)
        {
            kinds.Add(random.Pick(High));
        }

        var low = random.Shuffle(Low);
        kinds.AddRange(low.Take(count - kinds.Count));
        var numbers = random.Shuffle(Enumerable.Range(1, 9));
        return [.. kinds.Select((k, i) => new StreamSensor(
            $"{k.Prefix}-{numbers[i]}",
            k.Quantity,
            Math.Round(random.NextDouble(k.MinCenter, k.MaxCenter), k.WholeNumbers ? 0 : 1),
            Math.Round(random.NextDouble(k.MinSigma, k.MaxSigma), 2),
            k.WholeNumbers))];
    }

    /// <summary>One reading near <paramref name="level"/>: a normal draw cut at <see cref="Cutoff"/> sigma, rounded as the sensor reports.</summary>
    public static double Reading(DeterministicRandom random, StreamSensor sensor, double level, double sigma) =>
        Round(sensor, level + (sigma * Normal(random.NextDouble())));

    /// <summary>
    /// <paramref name="count"/> readings near <paramref name="level"/>, stratified over the normal's
    /// quantiles (one draw per 1/count slice) and shuffled: the batch looks normal, and its median
    /// and MAD stay close to the level and sigma even in a batch of 20, so no ordinary reading
    /// ever looks like a spike to a median/MAD rule.
    /// </summary>
    public static List<double> Readings(DeterministicRandom random, StreamSensor sensor, double level, double sigma, int count) =>
        random.Shuffle(Enumerable.Range(0, count).Select(i => Round(sensor, level + (sigma * Normal((i + random.NextDouble()) / count)))));

    public static double Round(StreamSensor sensor, double value) => Math.Round(value, sensor.WholeNumbers ? 0 : 2);

    /// <summary>Readings stay within this many sigma of their level.</summary>
    public const double Cutoff = 2.2;

    /// <summary>The standard normal quantile of <paramref name="p"/> (Acklam's rational approximation, ample here), cut at <see cref="Cutoff"/>.</summary>
    private static double Normal(double p)
    {
        p = Math.Clamp(p, 1e-9, 1 - 1e-9);
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double z;
        if (p < 0.02425 || p > 1 - 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(Math.Min(p, 1 - p)));
            z = Polynomial(c, q) / (q * Polynomial(d, q) + 1);
            z = p < 0.5 ? z : -z;
        }
        else
        {
            var q = p - 0.5;
            var r = q * q;
            z = Polynomial(a, r) * q / (r * Polynomial(b, r) + 1);
        }

        return Math.Clamp(z, -Cutoff, Cutoff);
    }

    /// <summary>Horner's rule, highest coefficient first.</summary>
    private static double Polynomial(double[] coefficients, double x) => coefficients.Aggregate(0.0, (sum, k) => (sum * x) + k);
}
