using ChaosLab.Core.Grading;

namespace ChaosLab.Tests.Core.Grading;

public sealed class NumberExtractorTests
{
    [Theory]
    [InlineData("The population is 12,345,678 people.", 12_345_678d)]
    [InlineData("The population is 12 345 678 people.", 12_345_678d)]
    [InlineData("The population is 12\u2009345\u2009678 people.", 12_345_678d)]
    [InlineData("The population is 12\u202F345\u202F678 people.", 12_345_678d)]
    [InlineData("density 3.14159", 3.14159)]
    [InlineData("growth of -2.5 points", -2.5)]
    [InlineData("revenue $4.2B", 4.2e9)]
    [InlineData("revenue $4.2 billion", 4.2e9)]
    [InlineData("revenue 4.2 billion", 4.2e9)]
    [InlineData("revenue USD 4,200 million", 4.2e9)]
    [InlineData("revenue 4,200 USD", 4200d)]
    [InlineData("revenue €3.1bn", 3.1e9)]
    [InlineData("revenue EUR 3.1 bn", 3.1e9)]
    [InlineData("revenue US$ 7 mn", 7e6)]
    [InlineData("about 1.5k users", 1500d)]
    [InlineData("about 1.5 thousand users", 1500d)]
    [InlineData("12.3M people", 12.3e6)]
    [InlineData("12.3m people", 12.3e6)]
    [InlineData("12.3 M people", 12.3e6)]
    [InlineData("12.3 million people", 12.3e6)]
    [InlineData("GDP of $2.1T", 2.1e12)]
    [InlineData("GDP of 2.1 tn", 2.1e12)]
    [InlineData("GDP of 2.1 trillion", 2.1e12)]
    [InlineData("a drop of -$5 million", -5e6)]
    public void Extract_SingleNumber_ReadsValue(string text, double expected)
    {
        var number = Assert.Single(NumberExtractor.Extract(text));

        Assert.Equal(expected, number.Value, 6);
    }

    [Theory]
    [InlineData("12.5%", 12.5, true, false)]
    [InlineData("12.5 percent", 12.5, true, false)]
    [InlineData("12.5 per cent", 12.5, true, false)]
    [InlineData("2.3x denser", 2.3, false, true)]
    [InlineData("2.3\u00D7 denser", 2.3, false, true)]
    [InlineData("2.3 times denser", 2.3, false, true)]
    [InlineData("a 2.3-fold difference", 2.3, false, true)]
    [InlineData("denser by a factor of 2.3", 2.3, false, true)]
    public void Extract_PercentOrMultiplier_FlagsForm(string text, double expected, bool isPercent, bool isMultiplier)
    {
        var number = Assert.Single(NumberExtractor.Extract(text));

        Assert.Equal(expected, number.Value, 6);
        Assert.Equal(isPercent, number.IsPercent);
        Assert.Equal(isMultiplier, number.IsMultiplier);
    }

    [Theory]
    [InlineData("$4.2B", NumberScale.Billion, true)]
    [InlineData("USD 4,200 million", NumberScale.Million, true)]
    [InlineData("4.2 billion dollars", NumberScale.Billion, true)]
    [InlineData("1.5k", NumberScale.Thousand, false)]
    [InlineData("17", NumberScale.None, false)]
    public void Extract_ScaleAndCurrency_AreReported(string text, NumberScale scale, bool isCurrency)
    {
        var number = Assert.Single(NumberExtractor.Extract(text));

        Assert.Equal(scale, number.Scale);
        Assert.Equal(isCurrency, number.IsCurrency);
        Assert.Equal(text, number.Text);
    }

    [Theory]
    [InlineData("as of 2025")]
    [InlineData("in March 2024")]
    [InlineData("on 2024-03-01")]
    [InlineData("on 5 March 2024")]
    [InlineData("on March 5, 2024")]
    [InlineData("on 03/05/2024")]
    [InlineData("since 2019")]
    [InlineData("FY2024 and Q3 2024")]
    [InlineData("scenario B01 and E15")]
    [InlineData("the 5th item at 10am")]
    [InlineData("version 1.2.3 at 10:30")]
    [InlineData("COVID-19")]
    [InlineData("NovaTech")]
    [InlineData("")]
    public void Extract_DatesAndIdentifiers_AreNotNumbers(string text)
    {
        Assert.Empty(NumberExtractor.Extract(text));
    }

    [Fact]
    public void Extract_NumberNextToDate_KeepsOnlyTheQuantity()
    {
        var numbers = NumberExtractor.Extract("Population 12,300,000 as of 2025 (census of March 2024).");

        var number = Assert.Single(numbers);
        Assert.Equal(12_300_000d, number.Value);
    }

    [Theory]
    [InlineData("1,2,3", new[] { 1d, 2d, 3d })]
    [InlineData("1 2 3", new[] { 1d, 2d, 3d })]
    [InlineData("12 3456", new[] { 12d, 3456d })]
    [InlineData("12.3 million (12,300,000)", new[] { 12.3e6, 12.3e6 })]
    [InlineData("5 m and 3 b", new[] { 5d, 3d })]
    public void Extract_SeveralNumbers_ReadsEachSeparately(string text, double[] expected)
    {
        var values = NumberExtractor.Extract(text).Select(n => n.Value).ToArray();

        Assert.Equal(expected, values);
    }

    [Fact]
    public void Extract_LongText_IsFast()
    {
        var text = string.Concat(Enumerable.Repeat("1,234,5 $4.2B 12 345 67 2024-03-05 abc9 ", 2_000));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var numbers = NumberExtractor.Extract(text);
        watch.Stop();

        Assert.NotEmpty(numbers);
        Assert.True(watch.ElapsedMilliseconds < 1_000, $"took {watch.ElapsedMilliseconds} ms");
    }
}
