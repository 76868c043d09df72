using ChaosLab.Core.Grading;

namespace ChaosLab.Tests.Core.Grading;

public sealed class DateExtractorTests
{
    [Theory]
    [InlineData("It happened on 2024-03-05.")]
    [InlineData("It happened on 2024/03/05.")]
    [InlineData("It happened on 2024-3-5.")]
    [InlineData("It happened on 5 March 2024.")]
    [InlineData("It happened on 5 Mar 2024.")]
    [InlineData("It happened on March 5, 2024.")]
    [InlineData("It happened on Mar 5 2024.")]
    [InlineData("It happened on Mar. 5, 2024.")]
    [InlineData("It happened on the 5th of March 2024.")]
    [InlineData("It happened on March 5th, 2024.")]
    [InlineData("It happened on 2024-03-05T10:00:00Z.")]
    public void Extract_SupportedFormat_ReadsDate(string text)
    {
        var date = Assert.Single(DateExtractor.Extract(text));

        Assert.Equal(new DateOnly(2024, 3, 5), date.Value);
    }

    [Theory]
    [InlineData("03/05/2024")]
    [InlineData("25/03/2024")]
    [InlineData("03-05-2024")]
    [InlineData("March 2024")]
    [InlineData("as of 2025")]
    [InlineData("2024-02-30")]
    [InlineData("31 April 2024")]
    [InlineData("2024-13-01")]
    [InlineData("12,300,000 people")]
    public void Extract_AmbiguousOrIncompleteOrInvalid_IsNotADate(string text)
    {
        Assert.Empty(DateExtractor.Extract(text));
    }

    [Fact]
    public void Extract_TwoDates_ReturnsBothInOrder()
    {
        var dates = DateExtractor.Extract("From 1 January 2024 to 2024-12-31.");

        Assert.Equal([new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)], dates.Select(d => d.Value));
    }

    [Fact]
    public void Extract_LeapDay_IsValid()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Assert.Single(DateExtractor.Extract("29 Feb 2024")).Value);
    }
}
