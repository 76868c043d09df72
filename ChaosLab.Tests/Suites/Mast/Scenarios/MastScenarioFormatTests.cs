using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Suites.Mast.Scenarios;

/// <summary>Mast scenarios as documents: the published schema, the built-ins in that form, the checks a schema cannot make, the preview's seam.</summary>
public sealed class MastScenarioFormatTests
{
    private static readonly MastScenarioFormat Format = new(_ => new ToySuite("mast"));

    // Validation runs the schema through the same store code authored documents go through; it never touches the database.
    private static readonly ScenarioStore Store = new(null!, [Format], TimeProvider.System);

    private static JsonObject Document(string id) =>
        JsonNode.Parse(Format.BuiltIn.Single(d => d.Id == id).Content.GetRawText())!.AsObject();

    private static IReadOnlyList<ScenarioError> Validate(JsonNode document) => Store.Validate(JsonSerializer.SerializeToElement(document));

    [Fact]
    public void BuiltIn_EveryDocument_ValidAgainstThePublishedSchemaAndChecks()
    {
        Assert.Equal(MastScenarioCatalog.All.Select(s => s.Id), Format.BuiltIn.Select(d => d.Id));
        Assert.All(Format.BuiltIn, d => Assert.Empty(Store.Validate(d.Content)));
        Assert.All(Format.BuiltIn, d => Assert.Equal(("mast", ScenarioSource.BuiltIn), (d.Suite, d.Source)));
    }

    [Fact]
    public void ToDefinition_BuiltInDocument_ReadsBackTheCatalogDefinition()
    {
        foreach (var document in Format.BuiltIn)
        {
            var definition = MastScenarioFormat.ToDefinition(document);
            var original = MastScenarioFormat.BuiltInDefinitions.Single(d => d.Id == document.Id);

            Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(definition));
            Assert.Equal(Render(MastInstances.Draw(original, 11)), Render(MastInstances.Draw(definition, 11)));
        }
    }

    [Fact]
    public void Schema_Published_ConstrainsTheSharedFieldsAndIsClosed()
    {
        var schema = Format.Schema;
        var properties = schema["properties"]!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal("mast", properties["suite"]!["const"]!.GetValue<string>());
        Assert.Equal(["specification", "inter_agent", "verification"], properties["task"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["warmup", "beginner", "intermediate", "expert"], properties["tier"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        foreach (var field in new[] { "id", "version", "suite", "task", "tier", "family", "title", "step_limit", "slo_factor", "goal", "items", "constraints", "pipeline", "mast_faults" })
        {
            Assert.Contains(field, schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("/mast_faults/candidates/0/kind", "sql_injection")]
    [InlineData("/pipeline/1/role", "manager")]
    [InlineData("/pipeline/0/output_format", "xml")]
    [InlineData("/tier", "legendary")]
    public void Validate_ValueOutsideAnEnum_PointsAtItWithTheAllowedValues(string at, string value)
    {
        var document = Document("mast-spec-b01");
        Set(document, at, value);

        var error = Assert.Single(Validate(document), e => e.Path == at);
        Assert.Contains("one of the values specified by the enum: \"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownField_RefusedAtItsPointer()
    {
        var document = Document("mast-inter-b01");
        document["answer"] = "FM-2.5";

        Assert.Equal("/answer", Assert.Single(Validate(document)).Path);
    }

    [Fact]
    public void Validate_MissingField_NamesIt()
    {
        var document = Document("mast-inter-b01");
        document.Remove("pipeline");

        var error = Assert.Single(Validate(document));

        Assert.Equal("", error.Path);
        Assert.Contains("pipeline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CandidateRoleNotInThePipeline_PointsAtTheRole()
    {
        var document = Document("mast-spec-w02");
        document["mast_faults"]!["candidates"]![0]!["roles"] = new JsonArray("executor", "researcher");

        var error = Assert.Single(Format.Check(Element(document)));

        Assert.Equal("/mast_faults/candidates/0/roles/1", error.Path);
        Assert.StartsWith("the pipeline has no researcher", error.Message);
    }

    [Fact]
    public void Check_FormatMismatchWithoutAYamlProducerBeforeAJsonConsumer_Refused()
    {
        var document = Document("mast-inter-w01");
        document["pipeline"]![0]!["output_format"] = "json";

        var error = Assert.Single(Format.Check(Element(document)));

        Assert.Equal("/mast_faults/candidates/0/roles", error.Path);
        Assert.Contains("emits yaml to an agent that parses json", error.Message);
    }

    [Theory]
    [InlineData("mast-spec-w01", "/mast_faults/candidates/0/kind", "format_mismatch", "format_mismatch is FM-2.5 (inter_agent); a specification scenario's modes are")]
    [InlineData("mast-spec-w01", "/mast_faults/candidates/0/kind", "backend_error", "backend_error is a backend fault")]
    [InlineData("mast-spec-i01", "/backend_faults/candidates/0/kind", "role_drift", "role_drift is a MAST mode (FM-1.2)")]
    [InlineData("mast-spec-w01", "/mast_faults/candidates/1/kind", "task_spec_violation", "task_spec_violation is already a candidate")]
    [InlineData("mast-verif-w01", "/mast_faults/candidates/0/roles/0", "writer", "incomplete_verification is not shown by a writer")]
    public void Check_CandidateThatDoesNotFit_PointsAtIt(string id, string at, string value, string message)
    {
        var document = Document(id);
        Set(document, at, value);

        var errors = Format.Check(Element(document));

        Assert.Contains(errors, e => e.Path == at && e.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/step_limit", 16, "/step_limit", "a warmup scenario allows 4 to 10 steps")]
    [InlineData("/slo_factor", 5.0, "/slo_factor", "the latency objective's factor is between 1.1 and 3")]
    [InlineData("/items/max", 9, "/items", "items: a range within 3 to 6")]
    [InlineData("/mast_faults/candidates/0/rate/max", 1.5, "/mast_faults/candidates/0/rate", "task_spec_violation fires per run: its rate is a range within 0.3 to 1")]
    [InlineData("/mast_faults/active/max", 3, "/mast_faults/active", "active candidates")]
    [InlineData("/constraints/count/max", 9, "/constraints/count", "constraints drawn from the pool")]
    [InlineData("/pipeline/1/window/min", 100, "/pipeline/1/window", "tokens of context window")]
    public void Check_ValueOutOfItsRange_PointsAtIt(string at, double value, string path, string message)
    {
        var document = Document("mast-spec-w01");
        Set(document, at, value);

        var error = Assert.Single(Format.Check(Element(document)));

        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_VerifierNotLast_Refused()
    {
        var document = Document("mast-verif-w01");
        var pipeline = document["pipeline"]!.AsArray();
        var verifier = pipeline[^1]!.DeepClone();
        pipeline.RemoveAt(pipeline.Count - 1);
        pipeline.Insert(3, verifier);
        verifier["input_format"] = "text";

        var error = Assert.Single(Format.Check(Element(document)));

        Assert.Equal(("/pipeline/3/role", "the verifier signs off last"), (error.Path, error.Message));
    }

    [Fact]
    public void Check_HandOffItsConsumerCannotRead_Refused()
    {
        var document = Document("mast-verif-w01");
        document["pipeline"]![1]!["output_format"] = "text";

        var error = Assert.Single(Format.Check(Element(document)));

        Assert.Equal("/pipeline/2/input_format", error.Path);
        Assert.StartsWith("cannot read what researcher sends (text)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ModeWhoseNeedsThePipelineLacks_Refused()
    {
        var document = Document("mast-verif-w02");
        var pipeline = document["pipeline"]!.AsArray();
        pipeline.RemoveAt(pipeline.Count - 1);

        var errors = Format.Check(Element(document));

        Assert.Contains(errors, e => e.Path == "/mast_faults/candidates/0/kind" && e.Message == "premature_termination needs a verifier whose sign-off the final output skips");
    }

    [Fact]
    public void Check_UnknownOrOutOfBoundsParameter_PointsAtIt()
    {
        var document = Document("mast-spec-w02");
        document["mast_faults"]!["candidates"]![0]!["parameters"] = new JsonObject
        {
            ["legit_repeats"] = new JsonObject { ["min"] = 0, ["max"] = 3 },
            ["depth"] = new JsonObject { ["min"] = 1, ["max"] = 2 },
        };

        var errors = Format.Check(Element(document));

        Assert.Equal(["/mast_faults/candidates/0/parameters/legit_repeats", "/mast_faults/candidates/0/parameters/depth"], errors.Select(e => e.Path));
        Assert.StartsWith("a range of whole numbers within 0 to 1", errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("not a parameter of step_repetition (its parameters: legit_repeats)", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MalformedDocument_ErrorWithPointer()
    {
        var document = Document("mast-spec-w01");
        document["items"] = "three";

        var error = Assert.Single(Format.Check(Element(document)));

        Assert.Equal("/items", error.Path);
    }

    [Fact]
    public void Rehearse_Document_SuiteFromTheFactoryAndOneRulePerFaultAtItsRate()
    {
        MastScenarioDefinition? played = null;
        var format = new MastScenarioFormat(d =>
        {
            played = d;
            return new ToySuite("mast");
        });
        var document = Format.BuiltIn.Single(d => d.Id == "mast-inter-i01");

        var rehearsal = format.Rehearse(document);
        var plan = rehearsal.FaultPlan(5);
        var instance = MastInstances.Draw(MastScenarioFormat.ToDefinition(document), 5);

        Assert.Equal("mast-inter-i01", played!.Id);
        Assert.Equal(instance.Faults.Select(f => (f.Kind, f.Agent, f.Rate)), plan.Rules.Select(r => (r.Kind.Name, r.Target, r.Trigger.Probability)));
        Assert.Equal(2, plan.Rules.Count);
        Assert.Contains(plan.Rules, r => r.Reason.EndsWith("(rate per model call)", StringComparison.Ordinal));
        Assert.Equal(0, plan.BaseProbability);
    }

    [Fact]
    public void Create_AuthoredDocument_DrawsFromItsOwnData()
    {
        var document = Document("mast-spec-w01");
        document["id"] = "authored-1";
        document["items"] = new JsonObject { ["min"] = 6, ["max"] = 6 };
        document["mast_faults"]!["candidates"] = new JsonArray(new JsonObject
        {
            ["kind"] = "history_loss",
            ["roles"] = new JsonArray("writer"),
            ["rate"] = new JsonObject { ["min"] = 0.5, ["max"] = 0.5 },
            ["parameters"] = new JsonObject { ["history_ratio"] = new JsonObject { ["min"] = 1.5, ["max"] = 1.5 } },
        });
        Assert.Empty(Validate(document));

        var instance = MastInstances.Create(MastScenarioFormat.ToDefinition(ScenarioDocument.From(Element(document), ScenarioSource.Stored)), 3);

        var fault = Assert.Single(instance.Faults);
        Assert.Equal(("history_loss", 0.5, 6), (fault.Kind, fault.Rate, instance.Task.Items));
        Assert.Equal(((int)Math.Round(instance.Agent(fault.Agent).ContextWindowTokens * 1.5)).ToString(System.Globalization.CultureInfo.InvariantCulture), fault.Parameters["history_tokens"]);
    }

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static void Set(JsonObject document, string at, JsonNode? value)
    {
        var parts = at.Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode node = document;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        if (int.TryParse(parts[^1], out var last))
        {
            node[last] = value;
        }
        else
        {
            node[parts[^1]] = value;
        }
    }

    private static void Set(JsonObject document, string at, string value) => Set(document, at, JsonValue.Create(value));

    private static void Set(JsonObject document, string at, double value) => Set(document, at, JsonValue.Create(value));

    private static string Render(ChaosLab.Core.Suites.Mast.Pipeline.MastInstance instance) =>
        JsonSerializer.Serialize(new { instance.Agents, instance.Task, Faults = instance.Faults.Select(f => new { f.Kind, f.Agent, f.Rate, P = f.Parameters.OrderBy(p => p.Key).ToList() }) });
}
