using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Scenarios;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Suites.Gauntlet.Episode;

namespace ChaosLab.Tests.Suites.Gauntlet.Scenarios;

/// <summary>Gauntlet scenarios as documents: the built-ins per piece and tier, the schema, the checks a schema cannot make, the preview's seam.</summary>
public sealed class GauntletScenarioFormatTests
{
    private static readonly GauntletScenarioCatalog Catalog = new([TinyPiece.Instance]);

    private static readonly GauntletScenarioFormat Format = new(Catalog, _ => new ToySuite("gauntlet"));

    // Validation runs the schema through the same store code authored documents go through; it never touches the database.
    private static readonly ScenarioStore Store = new(null!, [Format], TimeProvider.System);

    private static JsonObject Document(string tier = "beginner") =>
        JsonNode.Parse(Format.BuiltIn.Single(d => d.Id == $"gauntlet-tiny-{tier}").Content.GetRawText())!.AsObject();

    [Fact]
    public void BuiltIn_OnePerTier_WithTheTiersPresetsAndStepLimits()
    {
        Assert.Equal(["gauntlet-tiny-warmup", "gauntlet-tiny-beginner", "gauntlet-tiny-intermediate", "gauntlet-tiny-expert"], Format.BuiltIn.Select(d => d.Id));
        Assert.Equal([12, 14, 16, 16], Catalog.All.Select(d => d.StepLimit));
        Assert.All(Catalog.All, d => Assert.Equal(GauntletDifficulty.ForTier(TinyPiece.Instance, d.Tier), d.Difficulty, DifficultyComparer.Instance));
        Assert.All(Format.BuiltIn, d => Assert.Empty(Store.Validate(d.Content)));
        Assert.All(Format.BuiltIn, d => Assert.Equal(("gauntlet", "tiny", "tiny", ScenarioSource.BuiltIn), (d.Suite, d.TaskId, d.Family, d.Source)));
    }

    [Fact]
    public void ToDefinition_BuiltInDocument_ReadsBackTheCatalogDefinition()
    {
        foreach (var document in Format.BuiltIn)
        {
            Assert.Equal(JsonSerializer.Serialize(Catalog.All.Single(d => d.Id == document.Id)), JsonSerializer.Serialize(GauntletScenarioFormat.ToDefinition(document)));
        }
    }

    [Fact]
    public void Schema_Published_ClosedWithTheSuitesWords()
    {
        var schema = Format.Schema;
        var properties = schema["properties"]!;

        Assert.Equal("gauntlet", properties["suite"]!["const"]!.GetValue<string>());
        Assert.Equal(["tiny"], properties["task"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["tiny_none_value", "tiny_zero_value", "tiny_long_batch"], properties["kinds"]!["items"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        foreach (var field in new[] { "id", "version", "suite", "task", "tier", "family", "title", "step_limit", "intensity", "kinds", "cases", "graded_tiers" })
        {
            Assert.Contains(field, schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("/intensity", "1.5", "/intensity")]
    [InlineData("/cases", "40", "/cases")]
    [InlineData("/step_limit", "99", "/step_limit")]
    [InlineData("/tier", "\"legendary\"", "/tier")]
    [InlineData("/kinds/0", "\"sql_injection\"", "/kinds/0")]
    [InlineData("/graded_tiers/0", "4", "/graded_tiers/0")]
    public void Validate_ValueOutsideTheSchema_PointsAtIt(string at, string json, string path)
    {
        var document = Document();
        Set(document, at, JsonNode.Parse(json));

        Assert.Contains(Store.Validate(JsonSerializer.SerializeToElement(document)), e => e.Path == path);
    }

    [Theory]
    [InlineData("/step_limit", "16", "/step_limit", "a beginner scenario allows 4 to 14 steps")]
    [InlineData("/graded_tiers", "[1, 3]", "/graded_tiers/1", "graded tiers cascade from 1 without gaps")]
    [InlineData("/graded_tiers", "[2]", "/graded_tiers/0", "graded tiers cascade from 1 without gaps")]
    [InlineData("/kinds", "[\"tiny_zero_value\", \"tiny_zero_value\"]", "/kinds/1", "\"tiny_zero_value\" is listed twice")]
    [InlineData("/kinds", "[]", "/kinds", "at least one fault kind")]
    [InlineData("/family", "\"stream\"", "/family", "a gauntlet scenario's family is its task: tiny")]
    [InlineData("/task", "\"stream\"", "/task", "task must be one of: tiny")]
    [InlineData("/intensity", "-0.5", "/intensity", "intensity is between 0 (mild) and 1 (harshest)")]
    public void Check_RuleTheSchemaCannotState_PointsAtIt(string at, string json, string path, string message)
    {
        var document = Document();
        Set(document, at, JsonNode.Parse(json));

        var errors = Format.Check(JsonSerializer.SerializeToElement(document));

        Assert.Contains(errors, e => e.Path == path && e.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_KindOfAnotherPiece_NamesThePiecesKinds()
    {
        var document = Document();
        document["kinds"] = new JsonArray("nan_storm");

        var error = Assert.Single(Format.Check(JsonSerializer.SerializeToElement(document)));

        Assert.Equal("/kinds/0", error.Path);
        Assert.Equal("\"nan_storm\" is not a fault kind of this piece (valid: tiny_none_value, tiny_zero_value, tiny_long_batch)", error.Message);
    }

    [Fact]
    public void Rehearse_Document_SuiteFromTheFactoryAndOneRulePerHiddenDecisionOfTheSeed()
    {
        GauntletScenarioDefinition? built = null;
        var format = new GauntletScenarioFormat(Catalog, d =>
        {
            built = d;
            return new ToySuite("gauntlet");
        });
        var document = Document("warmup");
        document["id"] = "my-tiny";
        document["cases"] = 3;

        var rehearsal = format.Rehearse(ScenarioDocument.From(JsonSerializer.SerializeToElement(document), ScenarioSource.Stored));
        var plan = rehearsal.FaultPlan(5);

        Assert.Equal(("my-tiny", 3), (built!.Id, built.Cases));
        Assert.Equal(6, plan.Rules.Count);
        Assert.Equal(["case:h1", "case:h1", "case:h2", "case:h2", "case:h3", "case:h3"], plan.Rules.Select(r => r.Target));
        Assert.Equal("a None at index 1 (call 0)", plan.Rules[0].Reason);
    }

    private static void Set(JsonObject document, string at, JsonNode? value)
    {
        var parts = at.TrimStart('/').Split('/');
        JsonNode parent = document;
        foreach (var part in parts[..^1])
        {
            parent = parent is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : parent[part]!;
        }

        if (parent is JsonArray list)
        {
            list[int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[parts[^1]] = value;
        }
    }

    /// <summary>Difficulty records hold lists, which records compare by reference.</summary>
    private sealed class DifficultyComparer : IEqualityComparer<PieceDifficulty>
    {
        public static DifficultyComparer Instance { get; } = new();

        public bool Equals(PieceDifficulty? x, PieceDifficulty? y) =>
            x is not null && y is not null && x.Intensity == y.Intensity && x.Cases == y.Cases && x.Kinds.SequenceEqual(y.Kinds) && x.GradedTiers.SequenceEqual(y.GradedTiers);

        public int GetHashCode(PieceDifficulty obj) => obj.Cases;
    }
}
