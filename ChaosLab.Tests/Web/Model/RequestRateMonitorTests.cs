using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Services;

namespace ChaosLab.Tests.Web.Model;

public sealed class RequestRateMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_NoRequests_SixtyZeroSecondsEndingBeforeNow()
    {
        var clock = new ManualTimeProvider(Start);
        var monitor = new RequestRateMonitor(clock);

        var points = monitor.Snapshot();

        Assert.Equal(RequestRateMonitor.WindowSeconds, points.Count);
        Assert.All(points, p => Assert.Equal(0, p.Requests));
        Assert.Equal(Start.AddSeconds(-60), points[0].Second);
        Assert.Equal(Start.AddSeconds(-1), points[^1].Second);
    }

    [Fact]
    public void Snapshot_RequestsInEarlierSeconds_CountedInTheirOwnSecond()
    {
        var clock = new ManualTimeProvider(Start);
        var monitor = new RequestRateMonitor(clock);
        monitor.Record();
        monitor.Record();
        clock.Advance(TimeSpan.FromSeconds(1));
        monitor.Record();
        clock.Advance(TimeSpan.FromSeconds(1));

        var points = monitor.Snapshot();

        Assert.Equal(2, points[^2].Requests);
        Assert.Equal(1, points[^1].Requests);
        Assert.Equal(3, points.Sum(p => p.Requests));
    }

    [Fact]
    public void Snapshot_RequestsOlderThanTheWindow_AreForgotten()
    {
        var clock = new ManualTimeProvider(Start);
        var monitor = new RequestRateMonitor(clock);
        monitor.Record();
        clock.Advance(TimeSpan.FromSeconds(RequestRateMonitor.WindowSeconds + 1));
        monitor.Record();
        clock.Advance(TimeSpan.FromSeconds(1));

        var points = monitor.Snapshot();

        Assert.Equal(1, points.Sum(p => p.Requests));
    }
}
