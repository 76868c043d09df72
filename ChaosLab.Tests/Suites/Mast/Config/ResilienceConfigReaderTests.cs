using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Environment;

namespace ChaosLab.Tests.Suites.Mast.Config;

public sealed class ResilienceConfigReaderTests
{
    private static ConfigReading Read(string json, IReadOnlyCollection<PipelineAgent>? agents = null) =>
        ResilienceConfigReader.Read(JsonDocument.Parse(json).RootElement, agents);

    private static readonly PipelineAgent[] Agents =
    [
        new("planner-2", "planner", "text", "yaml", 4096, "You plan."),
        new("executor-4", "executor", "json", "json", 8192, "You execute."),
    ];

    [Fact]
    public void Read_EmptyObject_IsTheDefaults()
    {
        var reading = Read("{}");

        Assert.Empty(reading.Errors);
        Assert.Equal(ResilienceConfigReader.ToJson(ResilienceConfig.Default).ToJsonString(), ResilienceConfigReader.ToJson(reading.Config!).ToJsonString());
    }

    [Fact]
    public void Read_ChaosLabShape_ReadsEveryFieldAndRoleSpecs()
    {
        var reading = Read("""
            {"retry_max":3,"retry_delay_ms":250,"timeout_ms":5000,"fallback":"summarize","circuit_breaker_threshold":0.5,
             "context_strategy":"chunk","context_summarization_threshold":4096,"min_review_depth":3,"consistency_check":true,
             "format_translator":true,"repetition_guard":2,"action_validation":true,
             "role_specs":{"executor-4":{"role":"executor","capabilities":["execute","report"],"constraints":["iso_dates"],"output_format":"json","stop_condition":"max_turns:12"}}}
            """, Agents);

        var config = reading.Config!;
        Assert.Empty(reading.Errors);
        Assert.Equal((3, 250, 5000, "summarize", 0.5, "chunk", 4096, 3), (config.RetryMax, config.RetryDelayMs, config.TimeoutMs, config.Fallback, config.CircuitBreakerThreshold, config.ContextStrategy, config.ContextSummarizationThreshold, config.MinReviewDepth));
        Assert.True(config.ConsistencyCheck && config.FormatTranslator && config.ActionValidation);
        Assert.Equal(2, config.RepetitionGuard);
        var spec = config.RoleSpecs["executor-4"];
        Assert.Equal(("executor-4", "executor", "json", "max_turns:N", (int?)12), (spec.Agent, spec.Role, spec.OutputFormat, spec.StopCondition, spec.MaxTurns));
        Assert.Equal(["execute", "report"], spec.Capabilities);
        Assert.Equal(["iso_dates"], spec.Constraints);
    }

    [Fact]
    public void Read_SeedShapeWithSpecFix_DeploysTheSpecToItsAgentAndHandsOnTheDiagnosis()
    {
        var reading = Read("""
            {"retry_max":2,"retry_delay_ms":100,"timeout_ms":30000,"fallback":"retry_last","circuit_breaker_threshold":0.0,
             "context_strategy":"summarize","context_summarization_threshold":2048,"min_review_depth":2,"consistency_check":false,
             "spec_fix":"{\"agent\":\"planner-2\",\"role\":\"planner\",\"capabilities\":[\"plan\",\"decompose\"],\"stop_condition\":\"items_complete\"}",
             "explicit_role_spec":true,"format_translator":true,"diagnosis":"FM-1.2 planner-2"}
            """);

        Assert.Empty(reading.Errors);
        Assert.Equal(("planner", "items_complete"), (reading.Config!.RoleSpecs["planner-2"].Role, reading.Config.RoleSpecs["planner-2"].StopCondition));
        Assert.Equal("FM-1.2 planner-2", reading.Diagnosis!.Value.GetString());
    }

    [Fact]
    public void Read_SeedDefaultsWithEmptySpecFix_Accepted()
    {
        var reading = Read("""{"spec_fix":"","explicit_role_spec":false,"diagnosis":""}""");

        Assert.Empty(reading.Errors);
        Assert.Empty(reading.Config!.RoleSpecs);
    }

    [Theory]
    [InlineData("""{"retry_max":25}""", "/retry_max: 25 is above the maximum 10")]
    [InlineData("""{"retry_max":-1}""", "/retry_max: -1 is below the minimum 0")]
    [InlineData("""{"retry_delay_ms":250000}""", "/retry_delay_ms: 250000 is above the maximum 30000")]
    [InlineData("""{"retry_delay_ms":-5}""", "/retry_delay_ms: -5 is below the minimum 0")]
    [InlineData("""{"timeout_ms":50}""", "/timeout_ms: 50 is below the minimum 100")]
    [InlineData("""{"timeout_ms":120001}""", "/timeout_ms: 120001 is above the maximum 120000")]
    [InlineData("""{"circuit_breaker_threshold":0.05}""", "/circuit_breaker_threshold: 0.05 is not 0 (off) or a number from 0.1 to 1")]
    [InlineData("""{"circuit_breaker_threshold":1.5}""", "/circuit_breaker_threshold: 1.5 is above the maximum 1")]
    [InlineData("""{"circuit_breaker_threshold":-0.5}""", "/circuit_breaker_threshold: -0.5 is below the minimum 0.1 (0 turns it off)")]
    [InlineData("""{"context_summarization_threshold":100}""", "/context_summarization_threshold: 100 is below the minimum 256")]
    [InlineData("""{"context_summarization_threshold":70000}""", "/context_summarization_threshold: 70000 is above the maximum 65536")]
    [InlineData("""{"min_review_depth":6}""", "/min_review_depth: 6 is above the maximum 5")]
    [InlineData("""{"repetition_guard":9}""", "/repetition_guard: 9 is above the maximum 5")]
    [InlineData("""{"retry_max":2.5}""", "/retry_max: 2.5 is not an integer from 0 to 10")]
    [InlineData("""{"retry_max":"3"}""", "/retry_max: expected an integer from 0 to 10, got a string")]
    [InlineData("""{"consistency_check":1}""", "/consistency_check: expected true or false, got the number 1")]
    [InlineData("""{"fallback":"ignore"}""", "/fallback: \"ignore\" is not one of: skip, summarize, abort, retry_last")]
    [InlineData("""{"context_strategy":"sliding_window"}""", "/context_strategy: \"sliding_window\" is not one of: truncate, summarize, chunk")]
    [InlineData("""{"timeout_ms":null}""", "/timeout_ms: expected an integer from 100 to 120000, got null")]
    public void Read_OutOfRangeOrWrongType_NamesTheFieldAndWhatIsAllowed(string json, string error)
    {
        var reading = Read(json);

        Assert.Null(reading.Config);
        Assert.Equal([error], reading.Errors);
    }

    [Fact]
    public void Read_UnknownFields_RefusedWithTheValidFields()
    {
        var reading = Read("""{"sliding_window":true,"explicit_termination":true}""");

        Assert.Equal(2, reading.Errors.Count);
        Assert.StartsWith("/sliding_window: unknown field (fields: retry_max, retry_delay_ms,", reading.Errors[0]);
        Assert.StartsWith("/explicit_termination: unknown field", reading.Errors[1]);
    }

    [Fact]
    public void Read_NotAnObject_Refused()
    {
        Assert.StartsWith("a config is a JSON object", Assert.Single(Read("[1]").Errors));
    }

    [Theory]
    [InlineData("""{"spec_fix":"{\"agent\":\"planner-2\",\"role\":\"planner\"}"}""", "/spec_fix: deployed only when explicit_role_spec is true (set it, or leave spec_fix out)")]
    [InlineData("""{"spec_fix":"{\"agent\":\"planner-2\",\"role\":\"planner\"}","explicit_role_spec":false}""", "/spec_fix: deployed only when explicit_role_spec is true (set it, or leave spec_fix out)")]
    [InlineData("""{"explicit_role_spec":true}""", "/explicit_role_spec: true deploys the role specification in spec_fix, which is missing or empty")]
    [InlineData("""{"explicit_role_spec":true,"spec_fix":"{\"role\":\"researcher\",\"capabilities\":[\"search\"]}"}""", "/spec_fix: a role specification in spec_fix is a JSON object that names its agent")]
    [InlineData("""{"explicit_role_spec":true,"spec_fix":"not json"}""", "/spec_fix: not JSON:")]
    [InlineData("""{"explicit_role_spec":true,"spec_fix":"{\"agent\":\"researcher-1\",\"role\":\"researcher\",\"constraints\":{\"max_length\":1000}}"}""", "/spec_fix: /constraints: expected an array of constraint words")]
    [InlineData("""{"explicit_role_spec":"yes"}""", "/explicit_role_spec: expected true or false, got a string")]
    public void Read_SpecFixWithoutExplicitRoleSpecOrMalformed_Refused(string json, string error)
    {
        var reading = Read(json);

        Assert.Null(reading.Config);
        Assert.StartsWith(error, Assert.Single(reading.Errors));
    }

    [Theory]
    [InlineData("""{"role_specs":{"executor-4":{"role":"boss"}}}""", "/role_specs/executor-4/role: \"boss\" is not one of: planner, researcher, writer, executor, reviewer, verifier, coordinator")]
    [InlineData("""{"role_specs":{"executor-4":{"capabilities":["execute"]}}}""", "/role_specs/executor-4/role: required, one of: planner,")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","capabilities":["execute","analyze"]}}}""", "/role_specs/executor-4/capabilities/1: \"analyze\" is not a capability (valid: plan, decompose,")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","capabilities":["execute","execute"]}}}""", "/role_specs/executor-4/capabilities/1: \"execute\" is listed twice")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","constraints":["max_length"]}}}""", "/role_specs/executor-4/constraints/0: \"max_length\" is not a constraint (valid: cite_sources,")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","output_format":"xml"}}}""", "/role_specs/executor-4/output_format: \"xml\" is not one of: json, yaml, text")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","stop_condition":"done"}}}""", "/role_specs/executor-4/stop_condition: \"done\" is not one of: items_complete, approved, verified, max_turns:N (N from 1 to 200)")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","stop_condition":"max_turns:0"}}}""", "/role_specs/executor-4/stop_condition: \"max_turns:0\": N of max_turns:N is an integer from 1 to 200")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","agent":"planner-2"}}}""", "/role_specs/executor-4/agent: names the agent the specification is for, executor-4")]
    [InlineData("""{"role_specs":{"executor-4":{"role":"executor","success_criteria":"all"}}}""", "/role_specs/executor-4/success_criteria: unknown field of a role specification")]
    [InlineData("""{"role_specs":{"writer-9":{"role":"writer"}}}""", "/role_specs/writer-9: no agent writer-9 in this pipeline (agents: planner-2, executor-4)")]
    [InlineData("""{"role_specs":[]}""", "/role_specs: expected an object of role specifications by agent id, got an array")]
    public void Read_BadRoleSpec_PointsIntoIt(string json, string error)
    {
        var reading = Read(json, Agents);

        Assert.Null(reading.Config);
        Assert.StartsWith(error, Assert.Single(reading.Errors));
    }

    [Fact]
    public void Read_SpecFixAndRoleSpecsForTheSameAgent_Refused()
    {
        var reading = Read("""{"role_specs":{"planner-2":{"role":"planner"}},"explicit_role_spec":true,"spec_fix":"{\"agent\":\"planner-2\",\"role\":\"planner\"}"}""");

        Assert.Equal(["/spec_fix: role_specs already has a specification for planner-2"], reading.Errors);
    }

    [Fact]
    public void ToJson_ReadBack_SameConfigAndSameText()
    {
        var first = Read("""{"role_specs":{"writer-3":{"role":"writer","stop_condition":"max_turns:9"},"executor-4":{"role":"executor","capabilities":["execute"]}},"retry_max":2,"circuit_breaker_threshold":0.25}""").Config!;

        var json = ResilienceConfigReader.ToJson(first);
        var second = ResilienceConfigReader.Read(JsonDocument.Parse(json.ToJsonString()).RootElement).Config!;

        Assert.Equal(json.ToJsonString(), ResilienceConfigReader.ToJson(second).ToJsonString());
        Assert.Equal(["executor-4", "writer-3"], json["role_specs"]!.AsObject().Select(p => p.Key));
        Assert.Equal([.. ResilienceConfigReader.Fields.Select(f => f.Name), "role_specs"], json.Select(p => p.Key));
        Assert.Equal("max_turns:9", json["role_specs"]!["writer-3"]!["stop_condition"]!.GetValue<string>());
    }

    [Fact]
    public void Schema_Published_AcceptsWhatTheReaderAcceptsAndRefusesOutOfRange()
    {
        var schema = new ToolSchemaValidator(ResilienceConfigReader.Schema());
        bool Valid(string json) => schema.Validate(JsonDocument.Parse(json).RootElement).Count == 0;

        Assert.True(Valid(ResilienceConfigReader.ToJson(ResilienceConfig.Default).ToJsonString()));
        Assert.True(Valid("""{"retry_max":3,"circuit_breaker_threshold":0,"explicit_role_spec":true,"spec_fix":"{}","diagnosis":"FM-1.1","role_specs":{"writer-1":{"role":"writer","stop_condition":"max_turns:20"}}}"""));
        Assert.False(Valid("""{"retry_max":25}"""));
        Assert.False(Valid("""{"circuit_breaker_threshold":1.5}"""));
        Assert.False(Valid("""{"fallback":"ignore"}"""));
        Assert.False(Valid("""{"sliding_window":true}"""));
        Assert.Equal(10, ResilienceConfigReader.Schema()["properties"]!["retry_max"]!["maximum"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("max_turns:1", true)]
    [InlineData("max_turns:99", true)]
    [InlineData("max_turns:200", true)]
    [InlineData("max_turns:0", false)]
    [InlineData("max_turns:201", false)]
    [InlineData("max_turns:012", false)]
    public void Schema_MaxTurnsPattern_AllowsWhatTheReaderAllows(string stop, bool allowed)
    {
        var pattern = ResilienceConfigReader.Schema()["properties"]!["role_specs"]!["additionalProperties"]!["properties"]!["stop_condition"]!["anyOf"]![1]!["pattern"]!.GetValue<string>();
        var reading = Read("""{"role_specs":{"writer-1":{"role":"writer","stop_condition":""" + JsonSerializer.Serialize(stop) + "}}}");

        Assert.Equal(allowed, System.Text.RegularExpressions.Regex.IsMatch(stop, pattern));
        Assert.Equal(allowed, reading.Succeeded);
    }

    [Fact]
    public void Fields_Defaults_AreTheContractDefaults()
    {
        var defaults = ResilienceConfigReader.ToJson(ResilienceConfig.Default);

        Assert.All(ResilienceConfigReader.Fields, f => Assert.True(JsonNode.DeepEquals(defaults[f.Name], f.Default), f.Name));
    }
}
