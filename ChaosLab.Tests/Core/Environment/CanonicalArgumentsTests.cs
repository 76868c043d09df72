using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Tests.Core.Environment;

public sealed class CanonicalArgumentsTests
{
    [Fact]
    public void Canonicalize_KeyOrderAndWhitespace_Ignored()
    {
        var a = JsonNode.Parse("""{"b": 1, "a": "x  y"}""");
        var b = JsonNode.Parse("""{ "a" : "  x y ", "b":1.0}""");
        Assert.Equal(CanonicalArguments.Canonicalize(a), CanonicalArguments.Canonicalize(b));
    }

    [Fact]
    public void Canonicalize_CaseInsensitiveField_LowerCased()
    {
        var a = JsonNode.Parse("""{"entity": "Karvenia"}""");
        var b = JsonNode.Parse("""{"entity": "  KARVENIA"}""");
        Assert.Equal(CanonicalArguments.Canonicalize(a, _ => TextForm.CaseInsensitive), CanonicalArguments.Canonicalize(b, _ => TextForm.CaseInsensitive));
    }

    [Fact]
    public void Canonicalize_DifferentValues_Differ()
    {
        Assert.NotEqual(CanonicalArguments.Canonicalize(JsonNode.Parse("""{"a":"x"}""")), CanonicalArguments.Canonicalize(JsonNode.Parse("""{"a":"y"}""")));
    }

    [Fact]
    public void Canonicalize_NumbersBeyondDoubleRange_StayDistinct()
    {
        var a = CanonicalArguments.Canonicalize(JsonNode.Parse("""{"data":[1e400]}"""));
        var b = CanonicalArguments.Canonicalize(JsonNode.Parse("""{"data":[1e500]}"""));

        Assert.NotEqual(a, b);
        Assert.DoesNotContain("Infinity", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_ExactField_KeepsWhitespace()
    {
        var a = CanonicalArguments.Canonicalize(JsonNode.Parse("""{"code":"x = 1"}"""), _ => TextForm.Exact);
        var b = CanonicalArguments.Canonicalize(JsonNode.Parse("""{"code":"x=1"}"""), _ => TextForm.Exact);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void CanonicalJson_NestedObjects_SortedRecursively()
    {
        Assert.Equal("""{"a":{"x":1,"y":2},"b":[3,{"c":4,"d":5}]}""", CanonicalJson.Serialize(JsonNode.Parse("""{"b":[3,{"d":5,"c":4}],"a":{"y":2,"x":1}}""")));
    }

    [Theory]
    [InlineData("SELECT * FROM countries WHERE name='A'", "select   *\n FROM   Countries where NAME = 'A' ;")]
    [InlineData("select population from countries", "SELECT population -- the figure\nFROM countries")]
    [InlineData("select population from countries", "/* hi */ Select\tpopulation From countries;;")]
    [InlineData("select count(*) from t where a>=1", "SELECT COUNT( * ) FROM t WHERE a >= 1")]
    public void SqlNormalizer_FormattingAndKeywordCase_SameSpelling(string a, string b)
    {
        Assert.Equal(SqlNormalizer.Normalize(a), SqlNormalizer.Normalize(b));
    }

    [Fact]
    public void SqlNormalizer_StringLiteralCase_Preserved()
    {
        Assert.NotEqual(SqlNormalizer.Normalize("SELECT * FROM t WHERE name = 'Abc'"), SqlNormalizer.Normalize("SELECT * FROM t WHERE name = 'abc'"));
        Assert.Contains("'Ab  c'", SqlNormalizer.Normalize("select * from t where n = 'Ab  c'"), StringComparison.Ordinal);
    }
}
