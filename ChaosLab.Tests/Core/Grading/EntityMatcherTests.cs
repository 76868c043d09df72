using ChaosLab.Core.Grading;

namespace ChaosLab.Tests.Core.Grading;

public sealed class EntityMatcherTests
{
    [Theory]
    [InlineData("The capital is Zürich.", "Zurich")]
    [InlineData("The capital is ZURICH.", "Zürich")]
    [InlineData("It is São Tomé.", "Sao Tome")]
    [InlineData("It is Côte d’Ivoire.", "Cote d'Ivoire")]
    [InlineData("Costa-Rica is denser.", "Costa Rica")]
    public void FindMentions_FoldedWholeWords_Match(string text, string name)
    {
        var mention = Assert.Single(EntityMatcher.FindMentions(text, [name]));

        Assert.Equal(name, mention.Name);
    }

    [Theory]
    [InlineData("Norway is large.", "Nor")]
    [InlineData("NovaTech grew.", "Nova")]
    [InlineData("Veloriana is a region.", "Veloria")]
    public void FindMentions_PartOfAWord_DoesNotMatch(string text, string name)
    {
        Assert.Empty(EntityMatcher.FindMentions(text, [name]));
    }

    [Fact]
    public void FindMentions_OverlappingNames_PrefersLongest()
    {
        var mention = Assert.Single(EntityMatcher.FindMentions("New Veloria is denser.", ["Veloria", "New Veloria"]));

        Assert.Equal("New Veloria", mention.Name);
        Assert.Equal(0, mention.Start);
        Assert.Equal("New Veloria".Length, mention.Length);
    }

    [Theory]
    [InlineData("Côte d'Ivoire", "cote d’ivoire", true)]
    [InlineData("Veloria", "Ostmark", false)]
    [InlineData("", "", false)]
    public void AreSame_Spellings_Compare(string first, string second, bool expected)
    {
        Assert.Equal(expected, EntityMatcher.AreSame(first, second));
    }
}
