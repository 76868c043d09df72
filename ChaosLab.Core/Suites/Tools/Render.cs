using System.Globalization;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>How every source spells values, so the same fact reads the same everywhere.</summary>
internal static class Render
{
    public static string Thousands(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Billions(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Slug(string name) => string.Join('-', name.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
