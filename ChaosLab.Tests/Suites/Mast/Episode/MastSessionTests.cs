using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Taxonomy;
using static ChaosLab.Tests.Suites.Mast.Episode.MastTestKit;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>Reset and every tool of a mast episode, as an agent sees them.</summary>
public sealed class MastSessionTests
{
    private static readonly string Scenario = OnePerTier[0];

    [Fact]
    public void Reset_Observation_TaskToolsFailureModesConfigAndTheQuestion()
    {
        var (_, observation) = Start(Scenario, 7);

        Assert.Equal("reset", observation["kind"]!.GetValue<string>());
        Assert.StartsWith("Diagnose and harden the ", observation["question"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(" pipeline", observation["question"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(observation["guidance"]!.GetValue<string>()));
        Assert.Equal([MastTools.ReadPipeline, MastTools.ListIncidents, MastTools.ReadTrace, MastTools.ReadAgentLog, MastTools.RunTrial, MastTools.SubmitAnswer],
            observation["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        var modes = observation["failure_modes"]!.AsArray();
        Assert.Equal(MastTaxonomy.All.Select(m => m.Code), modes.Select(m => m!["code"]!.GetValue<string>()));
        Assert.All(modes, m => Assert.Null(m!["simulated"]));
        Assert.Equal("object", observation["config_schema"]!["type"]!.GetValue<string>());
        Assert.Equal(0, observation["config_defaults"]!["retry_max"]!.GetValue<int>());
    }

    [Fact]
    public void ReadPipeline_Result_AgentsInOrderTaskLimitsAndTheConfigInForce()
    {
        var (session, _) = Start(Scenario, 7);

        var result = Step(session, Call(MastTools.ReadPipeline)).Observation["result"]!;

        var agents = result["agents"]!.AsArray();
        Assert.NotEmpty(agents);
        Assert.Equal(agents.Select(a => a!["id"]!.GetValue<string>()), result["order"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.All(agents, a => Assert.False(string.IsNullOrEmpty(a!["role_prompt"]!.GetValue<string>())));
        Assert.True(result["limits"]!["slo_ms"]!.GetValue<int>() > 0);
        Assert.True(result["task"]!["items"]!.GetValue<int>() > 0);
        Assert.Equal(0, result["config"]!["retry_max"]!.GetValue<int>());
    }

    [Fact]
    public void ListIncidents_EightProductionRuns_EachReadableAsTraceAndLogWithoutFaultLabels()
    {
        var (session, _) = Start(Scenario, 7);
        var agent = Step(session, Call(MastTools.ReadPipeline)).Observation["result"]!["agents"]![0]!["id"]!.GetValue<string>();

        var incidents = Step(session, Call(MastTools.ListIncidents)).Observation["result"]!;
        var runId = incidents["incidents"]![0]!["run_id"]!.GetValue<string>();
        var trace = Step(session, Call(MastTools.ReadTrace, new() { ["run_id"] = runId }));
        var log = Step(session, Call(MastTools.ReadAgentLog, new() { ["run_id"] = runId, ["agent_id"] = agent }));

        Assert.Equal(MastSession.IncidentRuns, incidents["incidents"]!.AsArray().Count);
        Assert.Equal(MastSession.IncidentRuns, incidents["runs"]!.GetValue<int>());
        var messages = trace.Observation["result"]!["message_trace"]!["messages"]!.AsArray();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.Null(m!["fault"]));
        Assert.DoesNotContain("\"fault\"", trace.Record.DeliveredResult, StringComparison.Ordinal);
        Assert.Equal((runId, agent), (log.Observation["result"]!["run_id"]!.GetValue<string>(), log.Observation["result"]!["agent_id"]!.GetValue<string>()));
        Assert.NotNull(log.Observation["result"]!["lines"]!.AsArray());
    }

    [Fact]
    public void RunTrial_Defaults_SummaryWithCountsLatenciesSloAndErrors()
    {
        var (session, _) = Start(Scenario, 7);

        var step = Step(session, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject(), ["runs"] = 6 }));

        var summary = step.Observation["result"]!["trial_summary"]!;
        Assert.Equal("ok", step.Observation["status"]!.GetValue<string>());
        Assert.Equal(6, summary["runs"]!.GetValue<int>());
        Assert.Equal(6, summary["passed"]!.GetValue<int>() + summary["failed"]!.GetValue<int>());
        Assert.True(summary["latency_ms"]!["p95"]!.GetValue<int>() >= summary["latency_ms"]!["p50"]!.GetValue<int>());
        Assert.True(summary["slo_ms"]!.GetValue<int>() > 0);
        Assert.Equal(summary["failed"]!.GetValue<int>(), summary["errors"]!.AsArray().Sum(e => e!["count"]!.GetValue<int>()));
        Assert.Equal(summary["failed"]!.GetValue<int>() > 0, step.Observation["result"]!["failing_run"] is not null);
        Assert.Equal(0, step.Reward);
    }

    [Fact]
    public void RunTrial_FailingRun_ItsIdReadableAfterwards()
    {
        var (session, _) = Start(Scenario, 7);
        var trial = Step(session, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject() })).Observation["result"]!;
        var failing = trial["failing_run"]?["run_id"]?.GetValue<string>() ?? "trial-1#0";

        var trace = Step(session, Call(MastTools.ReadTrace, new() { ["run_id"] = failing }));

        Assert.StartsWith("trial-1#", failing, StringComparison.Ordinal);
        Assert.Equal("ok", trace.Observation["status"]!.GetValue<string>());
    }

    [Fact]
    public void RunTrial_TwoTrials_DifferentStreamsPerCall()
    {
        var (session, _) = Start(Scenario, 7);

        Step(session, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject(), ["runs"] = 1 }));
        var second = Step(session, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject(), ["runs"] = 1 }));

        Assert.Equal(2, second.Observation["result"]!["trial"]!.GetValue<int>());
        Assert.Equal(["trial-1#0", "trial-2#0"], session.State["workbench"]!["runs"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void Submit_StructuredAnswer_EndsGradedWithCriteriaAndTheConfigChangeRecorded()
    {
        var (session, _) = Start(Scenario, 7);

        var final = Step(session, Submit(new JsonObject { ["config"] = new JsonObject { ["retry_max"] = 2 }, ["diagnosis"] = new JsonObject { ["failure_mode"] = "FM-1.1", ["component"] = "writer-2" } }));

        Assert.True(final.Done);
        Assert.Equal(["hardening", "diagnosis_mode", "diagnosis_component", "unneeded_settings"], final.Grade!.Criteria.Select(c => c.Name));
        Assert.Contains("S0 = ", final.Grade.Criteria[0].Observed, StringComparison.Ordinal);
        var clean = JsonNode.Parse(final.Record.CleanResult!)!;
        Assert.Equal(0, clean["config_change"]!["before"]!["retry_max"]!.GetValue<int>());
        Assert.Equal(2, clean["config_change"]!["after"]!["retry_max"]!.GetValue<int>());
        Assert.Equal(MastScorer.HeldOutRuns, clean["trial_summary"]!["runs"]!.GetValue<int>());
        Assert.NotNull(clean["message_trace"]!["messages"]);
        Assert.NotNull(final.Grade.AnswerKey!["reference_fix"]);
        Assert.NotNull(final.Grade.AnswerKey["faults"]![0]!["mast_code"]);
        Assert.Equal(final.Grade.Score, final.Observation["score"]!.GetValue<double>());
    }

    [Fact]
    public void Submit_SeedStyleBareConfigWithoutType_AcceptedAsTheSubmission()
    {
        var (session, _) = Start(Scenario, 7);

        var final = Step(session, new JsonObject { ["retry_max"] = 1, ["consistency_check"] = false, ["diagnosis"] = "FM-1.1" });

        Assert.True(final.Done);
        Assert.NotNull(final.Grade);
        Assert.Equal("""{"retry_max":1,"consistency_check":false,"diagnosis":"FM-1.1"}""", final.Record.Submission);
    }

    [Fact]
    public void Submit_FlatConfigAsTheAnswer_Accepted()
    {
        var (session, _) = Start(Scenario, 7);

        var final = Step(session, Submit(new JsonObject { ["retry_max"] = 1 }));

        Assert.True(final.Done);
        Assert.Equal(1, JsonNode.Parse(final.Record.CleanResult!)!["config_change"]!["after"]!["retry_max"]!.GetValue<int>());
    }

    [Fact]
    public void Submit_SubmitAnswerTool_SameAsTheAction()
    {
        var (session, _) = Start(Scenario, 7);

        var final = Step(session, Call(MastTools.SubmitAnswer, new() { ["answer"] = new JsonObject { ["config"] = new JsonObject() } }));

        Assert.True(final.Done);
        Assert.Equal(0, final.Grade!.Score);
    }

    [Fact]
    public void StepLimit_OnlyInspecting_GradedZeroWithTheAnswerKey()
    {
        var (session, reset) = Start(Scenario, 7);
        var steps = reset["max_steps"]!.GetValue<int>();

        StepResult last = null!;
        for (var i = 0; i < steps; i++)
        {
            last = Step(session, Call(MastTools.ReadPipeline));
        }

        Assert.True(last.Done);
        Assert.Equal(("step_limit", 0.0), (last.Grade!.Outcome, last.Grade.Score));
        Assert.NotNull(last.Grade.AnswerKey!["default_success_rate"]);
    }

    [Fact]
    public void Determinism_SameSeedSameActions_ByteIdenticalObservationsAndRecords()
    {
        string Play()
        {
            var (session, reset) = Start(OnePerTier[^1], 99);
            var text = new System.Text.StringBuilder(reset.ToJsonString());
            JsonObject[] actions =
            [
                Call(MastTools.ReadPipeline),
                Call(MastTools.ListIncidents),
                Call(MastTools.ReadTrace, new() { ["run_id"] = "incident#3" }),
                Call(MastTools.RunTrial, new() { ["config"] = new JsonObject { ["retry_max"] = 2 } }),
                Submit(new JsonObject { ["config"] = new JsonObject { ["retry_max"] = 2 } }),
            ];
            foreach (var action in actions)
            {
                var step = Step(session, action);
                text.Append(step.Observation.ToJsonString()).Append(step.Record.CleanResult).Append(step.Record.DeliveredResult)
                    .Append(System.Text.Json.JsonSerializer.Serialize(step.Record.Faults)).Append(step.Reward);
            }

            return text.Append(session.State.ToJsonString()).ToString();
        }

        Assert.Equal(Play(), Play());
    }
}
