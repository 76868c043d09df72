using ChaosLab.Core.Grading;

namespace ChaosLab.Tests.Core.Grading;

public sealed class BooleanExtractorTests
{
    [Theory]
    [InlineData("Yes.", true)]
    [InlineData("yes", true)]
    [InlineData("True", true)]
    [InlineData("The claim is accurate.", true)]
    [InlineData("The figure is correct.", true)]
    [InlineData("Confirmed.", true)]
    [InlineData("No.", false)]
    [InlineData("No, it isn't.", false)]
    [InlineData("no it is off", false)]
    [InlineData("Answer: no", false)]
    [InlineData("false", false)]
    [InlineData("The claim is inaccurate.", false)]
    [InlineData("The claim is not accurate.", false)]
    [InlineData("The claim is incorrect.", false)]
    [InlineData("The claim isn't accurate.", false)]
    [InlineData("The claim isn\u2019t accurate.", false)]
    [InlineData("The claim is not correct.", false)]
    [InlineData("The claim is not entirely accurate.", false)]
    [InlineData("The revenue is overstated.", false)]
    [InlineData("The claim is misleading.", false)]
    [InlineData("The claim is not inaccurate.", true)]
    [InlineData("The claim is not only accurate but also recent.", true)]
    public void Extract_Verdict_ReadsValue(string text, bool expected)
    {
        var values = BooleanExtractor.Extract(text).Select(b => b.Value).Distinct();

        Assert.Equal([expected], values);
    }

    [Theory]
    [InlineData("NovaTech reported revenue.")]
    [InlineData("Norway has a notable knowledge economy.")]
    [InlineData("There is no evidence either way.")]
    [InlineData("The true figure is $4.1B.")]
    [InlineData("The correct revenue is $4.1B.")]
    [InlineData("Correct revenue: $4.1B")]
    [InlineData("The figure was confirmed by two sources.")]
    [InlineData("Nothing to report; nobody knows.")]
    [InlineData("")]
    public void Extract_NoVerdict_FindsNothing(string text)
    {
        Assert.Empty(BooleanExtractor.Extract(text));
    }

    [Theory]
    [InlineData("yes and no")]
    [InlineData("accurate inaccurate true false yes no")]
    [InlineData("It is accurate, but it is also wrong.")]
    public void Extract_BothVerdicts_FindsBoth(string text)
    {
        var values = BooleanExtractor.Extract(text).Select(b => b.Value).Distinct().Order();

        Assert.Equal([false, true], values);
    }

    [Theory]
    [InlineData("The revenue is overstated.", true)]
    [InlineData("The revenue is not overstated.", false)]
    [InlineData("yes", true)]
    [InlineData("The revenue is accurate.", null)]
    public void Extract_NegativeWordAsCue_ReadsCueAsYes(string text, bool? expected)
    {
        var values = BooleanExtractor.Extract(text, ["overstated"]).Select(b => (bool?)b.Value).ToList();

        Assert.Equal(expected is null ? [] : [expected], values);
    }

    [Theory]
    [InlineData("The claim is plausible.", true)]
    [InlineData("The claim is implausible.", false)]
    [InlineData("The claim is not plausible.", false)]
    public void Extract_Cue_AddsDomainWordAndItsNegation(string text, bool expected)
    {
        var value = Assert.Single(BooleanExtractor.Extract(text, ["plausible"]));

        Assert.Equal(expected, value.Value);
    }
}
