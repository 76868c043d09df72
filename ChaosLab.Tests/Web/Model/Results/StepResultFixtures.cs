using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Web.Model.Results;

/// <summary>
/// Step results written by hand in the suite-neutral conventions (message_trace, trial_summary,
/// config_change, shaped like a pipeline suite's; code_change, sandbox_run, tier_verdicts, shaped
/// like a code-hardening suite's): no suite is needed to test how they are drawn.
/// </summary>
public static class StepResultFixtures
{
    /// <summary>A failing run: planner to writer (yaml the writer cannot parse), a guard blocking a repeat, a translator lane not declared as an agent.</summary>
    public const string FailingTrace = """
        {
          "run_id": "trial-1#3",
          "passed": false,
          "failure": "writer-1 failed: input unreadable",
          "agents": [
            {"id": "planner-1", "role": "planner"},
            {"id": "writer-1", "role": "writer"},
            {"id": "reviewer-1", "role": "reviewer"}
          ],
          "messages": [
            {"seq": 2, "at_ms": 1240, "from": "planner-1", "to": "writer-1", "type": "plan", "format": "yaml", "body": "topic: tides\nitems:\n  - one\n  - two", "status": "error", "fault": "format_mismatch"},
            {"seq": 1, "at_ms": 0, "from": "orchestrator", "to": "planner-1", "type": "task", "format": "text", "body": "Plan a brief on tides", "status": "ok"},
            {"seq": 3, "at_ms": 1300, "from": "writer-1", "to": "writer-1", "type": "draft", "format": "text", "body": "retrying", "status": "ok"},
            {"seq": 4, "at_ms": 1500, "from": "guard", "to": "writer-1", "type": "guard", "format": "text", "body": "repeated step blocked", "status": "blocked"},
            {"seq": 5, "at_ms": 2100, "from": "reviewer-1", "to": "planner-1", "type": "review", "format": "json", "body": "{\"approve\":false}", "status": "ok"}
          ]
        }
        """;

    public const string TrialSummary = """
        {"runs": 10, "passed": 6, "failed": 4, "latency_ms": {"p50": 3100, "p95": 9800}, "slo_ms": 8000,
         "errors": [{"reason": "final output was not verified", "count": 1}, {"reason": "writer-1 failed: input unreadable", "count": 3}]}
        """;

    public const string ConfigChange = """
        {"before": {"retry_max": 0, "timeout_ms": 30000, "format_translator": false, "role_specs": {}},
         "after": {"timeout_ms": 30000, "retry_max": 2, "format_translator": true,
                   "role_specs": {"writer-1": {"role": "writer", "constraints": ["no jargon"]}}, "diagnosis": "FM-2.5"}}
        """;

    /// <summary>Fragile code as deployed: it crashes on strings and divides by a zero spread.</summary>
    public const string OriginalCode = """
        def process_batch(events, state):
            buffer = state.setdefault("buffer", [])
            for event in events:
                buffer.append(float(event["value"]))
            mean = sum(buffer) / len(buffer)
            std = (sum((x - mean) ** 2 for x in buffer) / len(buffer)) ** 0.5
            kept = [x for x in buffer if abs(x - mean) / std <= 3]
            return {"readings": kept}
        """;

    /// <summary>The agent's first try: strings skipped, the zero spread still divides.</summary>
    public const string PreviousCode = """
        def process_batch(events, state):
            buffer = state.setdefault("buffer", [])
            for event in events:
                if isinstance(event["value"], str):
                    continue
                buffer.append(float(event["value"]))
            mean = sum(buffer) / len(buffer)
            std = (sum((x - mean) ** 2 for x in buffer) / len(buffer)) ** 0.5
            kept = [x for x in buffer if abs(x - mean) / std <= 3]
            return {"readings": kept}
        """;

    /// <summary>The submission: only finite numbers, a bounded buffer, no division by a zero spread.</summary>
    public const string AfterCode = """
        import math

        MAX_BUFFER = 240

        def process_batch(events, state):
            buffer = state.setdefault("buffer", [])
            for event in events:
                value = event.get("value")
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    continue
                buffer.append(float(value))
            del buffer[:-MAX_BUFFER]
            mean = sum(buffer) / len(buffer) if buffer else 0.0
            std = (sum((x - mean) ** 2 for x in buffer) / len(buffer)) ** 0.5 if buffer else 0.0
            kept = [x for x in buffer if std == 0 or abs(x - mean) / std <= 3]
            return {"readings": kept}
        """;

    public static string CodeChangeJson(string? previous = PreviousCode) => new JsonObject
    {
        ["language"] = "python",
        ["original"] = OriginalCode,
        ["previous"] = previous,
        ["after"] = AfterCode,
    }.ToJsonString();

    public const string SandboxRunJson = """
        {"label": "grading", "outcome": "failed", "exit_code": 1, "stdout": "batch 1: 12 readings\nbatch 2: 0 readings\n",
         "stderr": "Traceback (most recent call last):\n  File \"submission.py\", line 7, in process_batch\nZeroDivisionError: float division by zero\n", "truncated": false}
        """;

    /// <summary>Hidden cases graded on three tiers, the third not graded at this difficulty: a passed case listed first, two failed ones after it.</summary>
    public const string TierVerdictsJson = """
        {"scope": "hidden cases", "score": 0.42, "failure": null,
         "tiers": [
           {"tier": 2, "name": "statistical stability", "graded": true, "cases": 4, "passed": 0, "credit": 0, "first_failure": "tier 2: call 2 raised ZeroDivisionError: float division by zero (line 7)"},
           {"tier": 1, "name": "data integrity", "graded": true, "cases": 4, "passed": 3, "credit": 0.75, "first_failure": "tier 1: a string reading reached the output at index 14 ('ERR' from sensor p-2, call 2)"},
           {"tier": 3, "name": "resilience", "graded": false, "cases": 0, "passed": 0, "first_failure": null}
         ],
         "cases": [
           {"case": "h1", "summary": "3 calls, 40 events: NaN burst on p-1", "passed": true, "stdout": "",
            "checks": [{"tier": 1, "check": "finite_output", "passed": true, "message": "every reading is a finite number", "evidence": null}]},
           {"case": "h2", "summary": "4 calls, 60 events: strings on p-2, a flat segment on p-3", "passed": false, "stdout": "debug: 14 readings\n",
            "checks": [
              {"tier": 1, "check": "finite_output", "passed": true, "message": "every reading is a finite number"},
              {"tier": 2, "check": "flat_segment", "passed": false, "message": "tier 2: call 2 raised ZeroDivisionError: float division by zero (line 7)", "evidence": {"call": 2, "events": [{"sensor": "p-3", "ts": 12.0, "value": 5.0}, {"sensor": "p-3", "ts": 13.0, "value": 5.0}]}},
              {"tier": 1, "check": "numeric_output", "passed": false, "message": "tier 1: a string reading reached the output at index 14 ('ERR' from sensor p-2, call 2)", "evidence": {"call": 2, "index": 14, "event": {"sensor": "p-2", "ts": 11.5, "value": "ERR"}}}
            ]},
           {"case": "h3", "summary": "3 calls, 30 events: a heavy-tail spike on p-1", "passed": false,
            "checks": [{"tier": 2, "check": "spikes_removed", "passed": false, "message": "tier 2: the spike 98000.0 at index 3 reached the output (call 1)", "evidence": {"call": 1, "index": 3, "value": 98000.0}}]}
         ]}
        """;

    /// <summary>A graded submission: the verdicts, the code against the original and the previous run, the grading run's output.</summary>
    public static string GradedSubmission() =>
        $$$"""{"score": 0.42, "grading": {"tier_verdicts": {{{TierVerdictsJson}}}, "code_change": {{{CodeChangeJson()}}}, "sandbox_run": {{{SandboxRunJson}}}}}""";

    /// <summary>A run_trial-like result: the summary at the top, the failing run's trace nested under it.</summary>
    public static string TrialResult(string trace = FailingTrace) =>
        $$$"""{"trial_summary": {{{TrialSummary}}}, "failing_run": {"message_trace": {{{trace}}}}}""";

    public static string FinalResult() => $$$"""{"config_change": {{{ConfigChange}}}, "trial_summary": {{{TrialSummary}}}}""";

    /// <summary>The trace as its delivered copy: the same messages without fault labels.</summary>
    public static string Delivered(string result)
    {
        var node = JsonNode.Parse(result)!;
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    obj.Remove("fault");
                    foreach (var (_, value) in obj.ToList())
                    {
                        Strip(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Strip(item);
                    }

                    break;
            }
        }
    }

    /// <summary>A long run: <paramref name="count"/> messages passed round five agents, one of them faulted and one an error.</summary>
    public static string LongTrace(int count)
    {
        var agents = new JsonArray();
        for (var a = 1; a <= 5; a++)
        {
            agents.Add(new JsonObject { ["id"] = $"agent-{a}", ["role"] = a switch { 1 => "planner", 5 => "verifier", _ => "executor" } });
        }

        var messages = new JsonArray();
        for (var i = 1; i <= count; i++)
        {
            var message = new JsonObject
            {
                ["seq"] = i,
                ["at_ms"] = i * 150,
                ["from"] = $"agent-{(i % 5) + 1}",
                ["to"] = $"agent-{((i + 2) % 5) + 1}",
                ["type"] = i % 2 == 0 ? "action" : "result",
                ["format"] = "json",
                ["body"] = $"{{\"step\":{i},\"reasoning\":\"do step {i}\",\"action\":\"step {i}\"}}",
                ["status"] = i == count - 1 ? "error" : "ok",
            };
            if (i == count / 2)
            {
                message["fault"] = "step_repetition";
            }

            messages.Add(message);
        }

        return new JsonObject { ["run_id"] = "incident#4", ["passed"] = false, ["failure"] = $"run stopped at the turn limit ({count} turns)", ["agents"] = agents, ["messages"] = messages }.ToJsonString();
    }
}
