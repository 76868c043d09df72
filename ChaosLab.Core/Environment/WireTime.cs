using System.Globalization;

namespace ChaosLab.Core.Environment;

/// <summary>
/// The one format of a timestamp on the wire (observations, <c>/state</c>, tool results):
/// ISO 8601 in UTC with a <c>Z</c> and milliseconds, e.g. <c>2026-04-08T00:00:00.705Z</c>.
/// </summary>
public static class WireTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToWire(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
