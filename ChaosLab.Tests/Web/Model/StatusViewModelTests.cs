using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class StatusViewModelTests
{
    [Theory]
    [InlineData(0, "0m 0s")]
    [InlineData(59, "0m 59s")]
    [InlineData(61, "1m 1s")]
    [InlineData(3_600, "1h 0m 0s")]
    [InlineData(86_399, "23h 59m 59s")]
    [InlineData(90_061, "1d 1h 1m")]
    [InlineData(-5, "0m 0s")]
    public void FormatUptime_Seconds_ReadableText(int seconds, string expected) =>
        Assert.Equal(expected, StatusViewModel.FormatUptime(TimeSpan.FromSeconds(seconds)));
}
