using ChaosLab.Core.Environment;

namespace ChaosLab.Tests.Core.Environment;

public sealed class EpisodeClockTests
{
    [Fact]
    public void GetUtcNow_New_IsFixedEpisodeStart()
    {
        Assert.Equal(new DateTimeOffset(2026, 4, 8, 0, 0, 0, TimeSpan.Zero), new EpisodeClock().GetUtcNow());
    }

    [Fact]
    public void Advance_ByLatency_MovesOnlyTheEpisodeClock()
    {
        var clock = new EpisodeClock();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(EpisodeClock.Start.AddSeconds(30), clock.GetUtcNow());
        clock.Reset();
        Assert.Equal(EpisodeClock.Start, clock.GetUtcNow());
    }
}
