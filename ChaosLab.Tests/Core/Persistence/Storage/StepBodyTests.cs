using ChaosLab.Core.Persistence.Storage;

namespace ChaosLab.Tests.Core.Persistence.Storage;

public sealed class StepBodyTests
{
    private static readonly string ToolList = "[" + string.Join(",", Enumerable.Range(0, 30).Select(i =>
        $$$"""{"name":"tool_{{{i}}}","description":"does thing {{{i}}} \u0022quoted\u0022","input_schema":{"type":"object"}}""")) + "]";

    private static readonly string ResetObservation =
        $$"""{"kind":"reset","question":"Caf\u00E9 \u2014 how many?","step":0,"tools":{{ToolList}},"note":"short"}""";

    [Fact]
    public void Decode_EncodedReset_GivesBackTheExactText()
    {
        var text = new StepText(null, ResetObservation, null, null, "[]", "[]", null);
        var fragments = new List<StepFragment>();

        var body = StepBody.Encode(0, text, fragments);
        var decoded = StepBody.Decode(body, hash => fragments.Single(f => f.Hash == hash).Text);

        Assert.Equal(text, decoded);
        var fragment = Assert.Single(fragments);
        Assert.Equal(ToolList, fragment.Text);
        Assert.Equal(StepBody.Hash(ToolList), fragment.Hash);
        Assert.True(body.Length < ResetObservation.Length / 4, $"{body.Length} bytes stored for a {ResetObservation.Length}-character reset");
    }

    [Fact]
    public void Decode_EncodedStep_GivesBackEveryColumnExactly()
    {
        var text = new StepText(
            """{"type":"call_tool","tool_name":"web_search","arguments":{"query":"x"}}""",
            """{"kind":"tool_result","result":{"error":"timeout"}}""",
            "clean \u00FC",
            """{"error":"timeout"}""",
            """[{"kind":"timeout","fired":true}]""",
            """[{"name":"new_fact","value":0.03}]""",
            "it failed");

        var fragments = new List<StepFragment>();
        var decoded = StepBody.Decode(StepBody.Encode(3, text, fragments), _ => throw new InvalidOperationException("no fragment expected"));

        Assert.Equal(text, decoded);
        Assert.Empty(fragments);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"broken\":")]
    public void Decode_ResetThatIsNotAnObject_StoredWhole(string observation)
    {
        var text = new StepText(null, observation, null, null, "[]", "[]", null);
        var fragments = new List<StepFragment>();

        var decoded = StepBody.Decode(StepBody.Encode(0, text, fragments), _ => throw new InvalidOperationException("no fragment expected"));

        Assert.Equal(text, decoded);
        Assert.Empty(fragments);
    }

    [Fact]
    public void Encode_LargeMemberOutsideTheReset_IsNoFragment()
    {
        var fragments = new List<StepFragment>();

        StepBody.Encode(4, new StepText(null, ResetObservation, null, null, "[]", "[]", null), fragments);

        Assert.Empty(fragments);
    }

    [Fact]
    public void FragmentHashes_Reset_NamesTheFragmentsItRefersTo()
    {
        var fragments = new List<StepFragment>();
        var body = StepBody.Encode(0, new StepText(null, ResetObservation, null, null, "[]", "[]", null), fragments);

        Assert.Equal(fragments.Select(f => f.Hash), StepBody.FragmentHashes(body));
    }

    [Fact]
    public void Decode_UnknownFormat_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => StepBody.Decode([9, 1, 2], _ => ""));

    [Theory]
    [InlineData("[]", null)]
    [InlineData("""[{"kind":"timeout","fired":false}]""", null)]
    [InlineData("""[{"kind":"timeout","fired":true},{"kind":"stale","fired":false},{"kind":"timeout","fired":true}]""", "timeout,timeout")]
    public void FiredFaultKinds_Decisions_ListsFiredKindsInOrder(string faultsJson, string? expected) =>
        Assert.Equal(expected, FiredFaultKinds.FromDecisions(faultsJson));
}
