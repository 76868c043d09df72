namespace ChaosLab.Core.Environment;

/// <summary>
/// The episode's time: starts at a fixed instant and moves only when the episode says so
/// (tool latency, latency faults). Nothing in an episode ever sleeps.
/// </summary>
public sealed class EpisodeClock : TimeProvider
{
    /// <summary>Every episode starts here, so observations never depend on the wall clock.</summary>
    public static readonly DateTimeOffset Start = new(2026, 4, 8, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = Start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public TimeSpan Elapsed => _now - Start;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        _now += by;
    }

    public void Reset() => _now = Start;
}
