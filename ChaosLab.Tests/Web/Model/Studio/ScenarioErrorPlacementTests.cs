using ChaosLab.Core.Scenarios;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class ScenarioErrorPlacementTests
{
    private static readonly string[] Fields = ["/title", "/tags", "/faults/scripted/0/tool", "/faults/scripted/0/attempts"];

    [Fact]
    public void For_ErrorAtField_ShownOnIt()
    {
        var placement = new ScenarioErrorPlacement([new("/faults/scripted/0/tool", "no such tool")], Fields);

        Assert.Equal(["no such tool"], placement.For("/faults/scripted/0/tool"));
        Assert.Empty(placement.For("/faults/scripted/0/attempts"));
        Assert.Empty(placement.Unplaced);
    }

    [Fact]
    public void For_ErrorInsideField_ShownOnIt()
    {
        var placement = new ScenarioErrorPlacement([new("/faults/scripted/0/attempts/1", "attempts are unique"), new("/tags/2", "too long")], Fields);

        Assert.Equal(["attempts are unique"], placement.For("/faults/scripted/0/attempts"));
        Assert.Equal(["too long"], placement.For("/tags"));
    }

    [Fact]
    public void Unplaced_PrefixOnlyByText_NotTakenByTheShorterField()
    {
        var placement = new ScenarioErrorPlacement([new("/tags_extra", "unknown property")], Fields);

        Assert.Empty(placement.For("/tags"));
        Assert.Equal([new ScenarioError("/tags_extra", "unknown property")], placement.Unplaced);
    }

    [Fact]
    public void Unplaced_ErrorsAboveEveryField_KeptInOrder()
    {
        ScenarioError[] errors = [new("/world", "cannot be built"), new("/title", "required"), new("", "not an object"), new("/faults/scripted/0", "duplicate")];

        var placement = new ScenarioErrorPlacement(errors, Fields);

        Assert.Equal([errors[0], errors[2], errors[3]], placement.Unplaced);
        Assert.Equal(["required"], placement.For("/title"));
    }

    [Fact]
    public void For_NestedFields_DeepestFieldTakesTheError()
    {
        var placement = new ScenarioErrorPlacement([new("/world/targets/country", "no such country")], ["/world/targets", "/world/targets/country"]);

        Assert.Equal(["no such country"], placement.For("/world/targets/country"));
        Assert.Empty(placement.For("/world/targets"));
    }

    [Theory]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/a", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a", "/a/b", false)]
    public void IsAtOrInside_TokenBoundaries(string path, string field, bool expected) =>
        Assert.Equal(expected, JsonPointer.IsAtOrInside(path, field));

    [Fact]
    public void AppendAndSegments_EscapedTokens_RoundTrip()
    {
        var path = JsonPointer.Append("/world/targets", "a/b~c");

        Assert.Equal("/world/targets/a~1b~0c", path);
        Assert.Equal(["world", "targets", "a/b~c"], JsonPointer.Segments(path));
    }
}
