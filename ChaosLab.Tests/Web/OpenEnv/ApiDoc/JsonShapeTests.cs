using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

public sealed class JsonShapeTests
{
    [Fact]
    public void Compare_LiteralDiffers_ReportsItsPath()
    {
        var differences = Compare("""{"observation": {"status": "ok"}}""", """{"observation": {"status": "error"}}""");

        Assert.Equal("$.observation.status: documented \"ok\", got \"error\"", Assert.Single(differences));
    }

    [Fact]
    public void Compare_ExtraKeysAndLaterElements_Allowed()
    {
        var differences = Compare("""{"tools": [{"name": "web_search"}]}""", """{"tools": [{"name": "web_search", "category": "retrieval"}, {"name": "fetch_url"}], "step": 0}""");

        Assert.Empty(differences);
    }

    [Theory]
    [InlineData("""{"done": false}""", """{}""", "$: documented key 'done' is missing")]
    [InlineData("""{"reward": 0}""", """{"reward": null}""", "$.reward: documented a number, got null")]
    [InlineData("""{"done": false}""", """{"done": true}""", "$.done: documented false, got true")]
    [InlineData("""[1, 2]""", """[1]""", "$: documented 2 elements, got 1")]
    public void Compare_ShapeDiffers_Reported(string documented, string actual, string expected)
    {
        Assert.Equal(expected, Assert.Single(Compare(documented, actual)));
    }

    [Fact]
    public void Compare_NumbersEqualInValue_Match()
    {
        Assert.Empty(Compare("""{"reward": 0.0, "score": 1}""", """{"reward": 0, "score": 1.00}"""));
    }

    [Fact]
    public void Compare_EllipsisString_MatchesAnyKind()
    {
        Assert.Empty(Compare("""{"result": "…", "reward": "…"}""", """{"result": {"value": 42}, "reward": -0.02}"""));
    }

    [Fact]
    public void Compare_PlaceholderUsedTwice_SecondUseMustEqualTheFirst()
    {
        var placeholders = new Placeholders();

        var first = JsonShape.Compare(JsonNode.Parse("""{"episode_id": "<episode_id>"}"""), JsonNode.Parse("""{"episode_id": "ep-1"}"""), placeholders);
        var same = JsonShape.Compare(JsonNode.Parse("""{"id": "<episode_id>"}"""), JsonNode.Parse("""{"id": "ep-1"}"""), placeholders);
        var other = JsonShape.Compare(JsonNode.Parse("""{"id": "<episode_id>"}"""), JsonNode.Parse("""{"id": "ep-2"}"""), placeholders);

        Assert.Empty(first);
        Assert.Empty(same);
        Assert.Equal("$.id: \"<episode_id>\" was bound to another value, got \"ep-2\"", Assert.Single(other));
        Assert.Equal("""{"episode_token": "t", "episode_id": "ep-1"}""", placeholders.Fill("""{"episode_token": "t", "episode_id": "<episode_id>"}"""));
    }

    [Fact]
    public void Fill_GivenValue_FilledBeforeAnyReplyAndRepliesMustRepeatIt()
    {
        var placeholders = new Placeholders(new Dictionary<string, string> { ["admin_key"] = "k-1" });

        Assert.Equal("Authorization: Bearer k-1", placeholders.Fill("Authorization: Bearer <admin_key>"));
        Assert.False(placeholders.Match("<admin_key>", "k-2"));
    }

    [Fact]
    public void Fill_PlaceholderNeverBound_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Placeholders().Fill("GET /state?episode_token=<episode_token>"));
    }

    private static IReadOnlyList<string> Compare(string documented, string actual) =>
        JsonShape.Compare(JsonNode.Parse(documented), JsonNode.Parse(actual), new Placeholders());
}
