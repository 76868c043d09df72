using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Tests.Suites.Gauntlet.Harness;

public sealed class PyValueTests
{
    [Fact]
    public void TryNumber_ReadsParsedAndBuiltNumbers_TaggedFloats_NeverBoolsOrStrings()
    {
        Assert.True(PyValue.TryNumber(JsonNode.Parse("12"), out var parsed) && parsed == 12);
        Assert.True(PyValue.TryNumber(JsonValue.Create(200), out var built) && built == 200);
        Assert.True(PyValue.TryNumber(JsonValue.Create(3_000_000_000L), out var big) && big == 3e9);
        Assert.True(PyValue.TryNumber(PyValue.NaN, out var nan) && double.IsNaN(nan));
        Assert.False(PyValue.TryFinite(PyValue.Real(double.PositiveInfinity), out _));
        Assert.False(PyValue.TryNumber(JsonValue.Create(true), out _));
        Assert.False(PyValue.TryNumber(JsonValue.Create("21.5"), out _));
    }

    [Fact]
    public void LargestContainer_SeesBuffersAtAnyDepth_InDequesSetsAndDicts()
    {
        var state = JsonNode.Parse("""{"a":{"$deque":[1,2,3],"maxlen":3},"b":{"c":[[1,2,3,4,5]]},"d":{"$set":[1,2]}}""");
        Assert.Equal(5, PyValue.LargestContainer(state));
    }
}
