using ChaosLab.Web.Model.Runs;

namespace ChaosLab.Tests.Web.Runs;

public sealed class RunFormatTests
{
    private static readonly DateTimeOffset Start = RunFixture.Epoch;

    [Theory]
    [InlineData(42, "42s")]
    [InlineData(61, "1m 01s")]
    [InlineData(3725, "1h 02m")]
    public void Duration_Ended_ToTheEnd(int seconds, string expected) =>
        Assert.Equal(expected, RunFormat.Duration(Start, Start.AddSeconds(seconds), Start.AddDays(1)));

    [Fact]
    public void Duration_Running_ToNow_NotStarted_Dash()
    {
        Assert.Equal("5s", RunFormat.Duration(Start, null, Start.AddSeconds(5)));
        Assert.Equal(RunFormat.None, RunFormat.Duration(null, null, Start));
    }

    [Fact]
    public void Numbers_InvariantWithSigns()
    {
        Assert.Equal(("0.750", "+0.125", "-0.500", "67%", "–"), (RunFormat.Score(0.75), RunFormat.Delta(0.125), RunFormat.Delta(-0.5), RunFormat.Percent(2 / 3.0), RunFormat.Score(null)));
    }
}
