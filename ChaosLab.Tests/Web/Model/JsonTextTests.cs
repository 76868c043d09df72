using System.Text.Json.Nodes;
using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class JsonTextTests
{
    [Fact]
    public void Format_CompactObject_IndentsLikeIndentedJson()
    {
        const string compact = """{"query":"x, y","results":[{"a":1},{"b":[]}],"empty":{}}""";

        var formatted = JsonText.Format(compact);

        Assert.Equal(JsonNode.Parse(compact)!.ToJsonString(new() { WriteIndented = true }), formatted);
    }

    [Fact]
    public void Format_TruncatedJson_StillLaysOutWhatIsThere()
    {
        var formatted = JsonText.Format("""{"a":1,"b":{"c":"cut of""");

        Assert.Equal("{\n  \"a\": 1,\n  \"b\": {\n    \"c\": \"cut of", formatted);
    }

    [Fact]
    public void Format_EscapedPrintableCharacters_AreShownAsThemselves()
    {
        Assert.Equal("{\n  \"e\": \"2+2 \\\"q\\\"\"\n}", JsonText.Format("""{"e":"2\u002B2 \"q\""}"""));
    }

    [Fact]
    public void Format_PlainText_IsLeftAlone()
    {
        Assert.Equal("No, it is 4.88 billion", JsonText.Format("No, it is 4.88 billion"));
    }
}
