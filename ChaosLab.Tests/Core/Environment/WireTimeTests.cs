using ChaosLab.Core.Environment;

namespace ChaosLab.Tests.Core.Environment;

public sealed class WireTimeTests
{
    [Theory]
    [InlineData("2026-04-08T00:00:00.7051234+00:00", "2026-04-08T00:00:00.705Z")]
    [InlineData("2026-04-08T02:30:00+02:00", "2026-04-08T00:30:00.000Z")]
    [InlineData("2026-12-31T23:59:59.999-01:00", "2027-01-01T00:59:59.999Z")]
    public void ToWire_AnyOffset_UtcWithMillisecondsAndZ(string time, string expected)
    {
        Assert.Equal(expected, WireTime.ToWire(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void ToWire_EpisodeClockStart_TheObservationsFormat()
    {
        Assert.Equal("2026-04-08T00:00:00.000Z", WireTime.ToWire(EpisodeClock.Start));
    }
}
