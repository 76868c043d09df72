using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Tests.Core.Environment;

public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"\ud83d\ude00":1}""")]
    [InlineData("""{"a":"\\ud800"}""")]
    [InlineData("""{"a":"\u00e9\n\"\\\/"}""")]
    [InlineData("""{"a":{"b":1},"b":{"b":2}}""")]
    [InlineData("[1e400, 18446744073709551616]")]
    public void TryParse_ValidJson_Accepted(string json)
    {
        var accepted = StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out var document, out var error);
        using (document)
        {
            Assert.True(accepted, error);
            Assert.NotNull(document);
        }
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "surrogate")]
    [InlineData("""{"a":"\udc00"}""", "surrogate")]
    [InlineData("""{"a":"x\ud83d"}""", "surrogate")]
    [InlineData("""{"a":"\ud800\u0041"}""", "surrogate")]
    [InlineData("""{"a":"\ude00\ud83d"}""", "surrogate")]
    [InlineData("""{"a":"\ud83d\ud83d\ude00"}""", "surrogate")]
    [InlineData("""{"\ud800":1}""", "surrogate")]
    [InlineData("""{"population":1,"population":2}""", "Duplicate")]
    [InlineData("""{"action":{"answer":{"p":1,"p":2}}}""", "Duplicate")]
    [InlineData("{\"a\":1", "")]
    public void TryParse_LoneSurrogateDuplicateKeyOrBadSyntax_RefusedWithReason(string json, string reason)
    {
        var accepted = StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out var document, out var error);

        Assert.False(accepted);
        Assert.Null(document);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xc0, 0x80 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    public void TryParse_InvalidUtf8InsideString_Refused(byte[] bad)
    {
        byte[] json = [.. "{\"a\":\"x"u8, .. bad, .. "\"}"u8];

        Assert.False(StrictJson.TryParse(json, out _, out var error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TenThousandOpenBrackets_RefusedNotStackOverflow()
    {
        Assert.False(StrictJson.TryParse(Encoding.UTF8.GetBytes(new string('[', 10_000)), out _, out var error));
        Assert.Contains("depth", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LeadingByteOrderMark_Accepted()
    {
        byte[] json = [.. Encoding.UTF8.Preamble, .. "{\"seed\":1}"u8];

        Assert.True(StrictJson.TryParse(json, out var document, out _));
        using (document)
        {
            Assert.Equal(1, document.RootElement.GetProperty("seed").GetInt32());
        }
    }

    [Fact]
    public void TryParseNode_DuplicateKeyInText_RefusedSoNothingThrowsLater()
    {
        Assert.False(StrictJson.TryParseNode("""{"population":1,"population":2}""", out var node, out _));
        Assert.Null(node);
    }

    [Fact]
    public void TryParseNode_ValidText_NodeReadableEverywhere()
    {
        Assert.True(StrictJson.TryParseNode("""{"population":"\ud83d\ude00","n":[1,2]}""", out var node, out _));

        Assert.Equal("😀", node!["population"]!.GetValue<string>());
        Assert.Equal(["population", "n"], node.AsObject().Select(p => p.Key));
    }
}
