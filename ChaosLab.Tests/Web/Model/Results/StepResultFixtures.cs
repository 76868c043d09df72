using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Web.Model.Results;

/// <summary>
/// Step results written by hand in the suite-neutral conventions (message_trace, trial_summary,
/// config_change), shaped like a pipeline suite's: no suite is needed to test how they are drawn.
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
