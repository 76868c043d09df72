using System.IO.Compression;
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

    [Fact]
    public void Decode_BodyWrittenBySchema9_GivesBackTheExactText()
    {
        var text = new StepText(null, ResetObservation, "clean", """{"error":"timeout"}""", "[]", "[]", "failed");
        var fragments = new List<StepFragment>();
        var body = Schema9Body(StepBody.Payload(0, text, fragments).ToArray());

        var decoded = StepBody.Decode(body, hash => fragments.Single(f => f.Hash == hash).Text, _ => throw new InvalidOperationException("no dictionary expected"));

        Assert.Equal(text, decoded);
        Assert.Null(StepBody.DictionaryId(body));
        Assert.Equal(fragments.Select(f => f.Hash), StepBody.FragmentHashes(body));
    }

    [Fact]
    public void Encode_Step_IsCompressedAgainstTheStepDictionaryItNames()
    {
        var text = new StepText(
            """{"type":"call_tool","tool_name":"web_search","arguments":{"query":"ACME revenue 2025"}}""",
            """{"kind":"tool_result","step":1,"status":"ok","result":{"results":[{"title":"ACME annual report","snippet":"Revenue rose to 12.5 billion"}]}}""",
            null, null, "[]", """[{"name":"new_fact","value":0.1,"reason":"1 key fact(s)"}]""", null);
        var asked = new List<int>();

        var body = StepBody.Encode(1, text, []);
        var decoded = StepBody.Decode(body, _ => "", id =>
        {
            asked.Add(id);
            return BodyDictionaries.Find(id);
        });

        Assert.Equal(text, decoded);
        Assert.Equal(BodyDictionaries.StepBodies.Id, StepBody.DictionaryId(body));
        Assert.Equal([BodyDictionaries.StepBodies.Id], asked);
    }

    [Fact]
    public async Task Encode_SameStepOnAnyThread_GivesTheSameBytes()
    {
        var text = new StepText(null, ResetObservation, null, null, "[]", "[]", null);
        var first = StepBody.Encode(0, text, []);

        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => StepBody.Encode(0, text, []))));

        Assert.All(others, other => Assert.Equal(first, other));
    }

    [Fact]
    public void Decode_DamagedBody_ThrowsInvalidDataAndLaterBodiesStillDecode()
    {
        var text = new StepText(null, "{\"kind\":\"tool_result\"}", null, null, "[]", "[]", null);
        var body = StepBody.Encode(3, text, []);

        Assert.Throws<InvalidDataException>(() => StepBody.Decode(body[..^4], _ => ""));
        Assert.Throws<InvalidDataException>(() => StepBody.Decode(body[..1], _ => ""));
        Assert.Equal(text, StepBody.Decode(body, _ => ""));
    }

    [Fact]
    public void Decode_DictionaryTheBuildDoesNotKnow_ThrowsInvalidData()
    {
        var body = StepBody.Encode(3, new StepText(null, "{}", null, null, "[]", "[]", null), []);
        body[1] = 99;

        Assert.Throws<InvalidDataException>(() => StepBody.Decode(body, _ => ""));
    }

    /// <summary>A body exactly as schema 9 wrote it: format 1, then the payload compressed with Brotli.</summary>
    internal static byte[] Schema9Body(byte[] payload)
    {
        var compressed = new byte[BrotliEncoder.GetMaxCompressedLength(payload.Length)];
        Assert.True(BrotliEncoder.TryCompress(payload, compressed, out var written, 9, 16));
        return [1, .. compressed.AsSpan(0, written)];
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData("""[{"kind":"timeout","fired":false}]""", null)]
    [InlineData("""[{"kind":"timeout","fired":true},{"kind":"stale","fired":false},{"kind":"timeout","fired":true}]""", "timeout,timeout")]
    public void FiredFaultKinds_Decisions_ListsFiredKindsInOrder(string faultsJson, string? expected) =>
        Assert.Equal(expected, FiredFaultKinds.FromDecisions(faultsJson));
}
