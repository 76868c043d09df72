using System.Globalization;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// The constants of requirements.md and the rules built on them, shared by the generator and the
/// checks so both read the same contract the agent reads.
/// </summary>
internal static class RetryRules
{
    public const int MaxAttempts = 5;
    public const double BackoffBase = 0.5;
    public const double BackoffCap = 3.0;
    public const double MaxRetryAfter = 30;
    public const int RetryBudget = 10;
    public const int BreakerThreshold = 5;
    public const double BreakerCoolDown = 30;
    public const int StateMaxItems = 50;

    /// <summary>Virtual seconds every transport call takes unless its answer says otherwise.</summary>
    public const double Latency = 0.1;

    /// <summary>Slack for clock arithmetic on floats.</summary>
    public const double Epsilon = 1e-3;

    public static IReadOnlyList<string> Methods { get; } = ["GET", "HEAD", "PUT", "DELETE", "POST", "PATCH"];

    public static IReadOnlyList<string> TelemetryFields { get; } =
        ["requests", "attempts", "retries", "succeeded", "failed", "slept", "breaker_opened", "breaker_closed"];

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the second attempt).</summary>
    public static double Delay(int retry) => Math.Min(BackoffCap, BackoffBase * Math.Pow(2, retry - 1));

    public static bool IsTransientStatus(int status) => status is 429 or 500 or 502 or 503 or 504;

    /// <summary>The URL's <c>host[:port]</c>, or null when it is not an http(s) URL with a host.</summary>
    public static string? Host(string? url)
    {
        if (url is null)
        {
            return null;
        }

        var scheme = url.StartsWith("http://", StringComparison.Ordinal) ? 7 : url.StartsWith("https://", StringComparison.Ordinal) ? 8 : -1;
        if (scheme < 0)
        {
            return null;
        }

        var rest = url[scheme..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var host = end < 0 ? rest : rest[..end];
        return host.Length == 0 ? null : host;
    }

    /// <summary>"0.5", "12.25": seconds for messages.</summary>
    public static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>"1st", "2nd", "3rd", "4th".</summary>
    public static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
