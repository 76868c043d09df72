using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>Finds numbers in tool text ("12,345", "$4.5 billion", "7%"), for the computation and validation tools and for fact tracking.</summary>
internal static partial class NumberScanner
{
    /// <summary>Numbers as written (commas removed), and scaled by a following million/billion word.</summary>
    public static List<(double Raw, double Scaled, string Text)> Scan(string text)
    {
        var list = new List<(double, double, string)>();
        foreach (Match m in NumberPattern().Matches(text))
        {
            var literal = m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal);
            if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var raw))
            {
                continue;
            }

            var scale = m.Groups["s"].Value.ToLowerInvariant() switch
            {
                "trillion" or "tn" => 1e12,
                "billion" or "bn" => 1e9,
                "million" or "mn" => 1e6,
                "thousand" => 1e3,
                _ => 1,
            };
            list.Add((raw, raw * scale, m.Value.Trim()));
        }

        return list;
    }

    /// <summary>Raw numeric values only (fast path for fact tracking).</summary>
    public static bool ContainsNumber(string text, double value)
    {
        foreach (Match m in NumberPattern().Matches(text))
        {
            var literal = m.Groups["n"].Value;
            if (double.TryParse(literal.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var raw)
                && Math.Abs(raw - value) <= Math.Max(1e-9, Math.Abs(value) * 1e-6))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?<![\w.])-?(?<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(?<s>trillion|billion|million|thousand|bn|tn|mn)\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
