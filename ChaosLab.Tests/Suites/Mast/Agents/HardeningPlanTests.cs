using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast.Agents;

namespace ChaosLab.Tests.Suites.Mast.Agents;

/// <summary>The careful agent's fixes: the documented one per diagnosed fault, and nothing else.</summary>
public sealed class HardeningPlanTests
{
    private static readonly PipelineView Pipeline = new(
        [new("planner-1", "planner", 4096), new("writer-2", "writer", 6000), new("reviewer-3", "reviewer", 8192)],
        ["cite_sources", "iso_dates"]);

    [Theory]
    [InlineData("writer-2: role prompt names no task constraints", "role_specs")]
    [InlineData("reviewer-3: expected draft from writer-2, got plan", "role_specs")]
    [InlineData("writer-2: repeated step 'draft' (4th time)", "repetition_guard")]
    [InlineData("writer-2: history 7000 tokens exceeds window 6000; dropped 1000 oldest tokens", "context_strategy,context_summarization_threshold")]
    [InlineData("writer-2: work done, no stop condition: continuing", "role_specs")]
    [InlineData("writer-2: cannot parse input from planner-1 as json: bad", "format_translator")]
    [InlineData("writer-2: declaring the work done", "role_specs")]
    [InlineData("reviewed sections 1-2 of 5; approve", "min_review_depth")]
    [InlineData("all sections pass individual checks; approve", "consistency_check")]
    [InlineData("writer-2: model call failed: 503 Service Unavailable", "retry_max")]
    [InlineData("writer-2: model call failed: 429 Too Many Requests (Retry-After: 1500 ms)", "retry_delay_ms,retry_max")]
    [InlineData("writer-2: model call timed out after 60000 ms", "timeout_ms,retry_max")]
    [InlineData("writer-2: model call timed out after 60000 ms (upstream unreachable)", "timeout_ms,circuit_breaker_threshold,fallback")]
    public void Config_OneSymptom_OnlyTheFieldsThatFixIt(string line, string fields)
    {
        var plan = new HardeningPlan(Pipeline);
        foreach (var symptom in Symptoms.Read(line))
        {
            plan.Add(symptom);
        }

        var config = plan.Config();

        Assert.Equal(fields.Split(',').Order(StringComparer.Ordinal), config.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Config_Values_TheSmallestThatWork()
    {
        var plan = new HardeningPlan(Pipeline);
        foreach (var line in new[] { "reviewed sections 1-2 of 5; approve", "writer-2: history 7000 tokens exceeds window 6000; dropped 1000 oldest tokens", "writer-2: declaring the work done", "writer-2: model call failed: 429 Too Many Requests (Retry-After: 1500 ms)" })
        {
            foreach (var symptom in Symptoms.Read(line))
            {
                plan.Add(symptom);
            }
        }

        var config = plan.Config();

        Assert.Equal(3, config["min_review_depth"]!.GetValue<int>());
        Assert.Equal(("summarize", 4500), (config["context_strategy"]!.GetValue<string>(), config["context_summarization_threshold"]!.GetValue<int>()));
        Assert.Equal(1500, config["retry_delay_ms"]!.GetValue<int>());
        var spec = config["role_specs"]!["writer-2"]!;
        Assert.Equal(("writer", "verified"), (spec["role"]!.GetValue<string>(), spec["stop_condition"]!.GetValue<string>()));
        Assert.Equal(["draft", "revise"], spec["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["cite_sources", "iso_dates"], spec["constraints"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("chunk", plan.Config(chunkHistory: true)["context_strategy"]!.GetValue<string>());
    }

    [Fact]
    public void Diagnosis_MastFaultsOnly_CodeAndAgentOfEach()
    {
        var plan = new HardeningPlan(Pipeline);
        plan.Add(Symptoms.Read("writer-2: role prompt names no task constraints").Single());
        plan.Add(Symptoms.Read("writer-2: model call failed: 503 Service Unavailable").Single());

        var diagnosis = plan.Diagnosis();

        Assert.Equal(("FM-1.1", "writer-2"), (diagnosis["failure_mode"]!.GetValue<string>(), diagnosis["component"]!.GetValue<string>()));

        plan.Add(Symptoms.Read("all sections pass individual checks; approve").Single() with { Agent = "reviewer-3" });
        Assert.Equal(["FM-1.1", "FM-3.3"], plan.Diagnosis().AsArray().Select(d => d!["failure_mode"]!.GetValue<string>()));
    }
}
