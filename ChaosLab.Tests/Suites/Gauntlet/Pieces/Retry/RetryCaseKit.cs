using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// Small retry cases made by hand, and reports of runs on them made by hand, so each check can
/// be tested on exactly the behaviour it judges (with or without the sandbox).
/// </summary>
internal static class RetryCaseKit
{
    public const double Start = 1_800_000_000;

    /// <summary>A request of a hand-made case; <paramref name="Defect"/> marks it malformed.</summary>
    public sealed record Spec(JsonNode? Json, IReadOnlyList<ScriptedResponse> Answers, string? Defect = null);

    public static JsonObject Request(string id, string url, string method = "GET", bool idempotencyKey = false) => new()
    {
        ["id"] = id,
        ["method"] = method,
        ["url"] = url,
        ["headers"] = idempotencyKey ? new JsonObject { ["Idempotency-Key"] = "k-" + id } : new JsonObject(),
        ["body"] = method is "POST" or "PUT" or "PATCH" ? """{"qty":1}""" : null,
    };

    public static Spec Get(string id, string url, params ScriptedResponse[] answers) => new(Request(id, url), answers);

    public static RetryCase Case(IReadOnlyList<int> tiers, params Spec[][] calls)
    {
        var requests = calls.Select((call, c) => (IReadOnlyList<RetryRequest>)[.. call.Select((spec, i) => Label(spec, c, i))]).ToList();
        var scripts = calls.SelectMany(call => call).Where(s => Url(s.Json) is not null).ToDictionary(s => Url(s.Json)!, s => s.Answers);
        var transport = new DependencyScript([], HttpAnswers.Problem(400), Key: "url", PerKey: scripts, Latency: RetryRules.Latency);
        var harness = new HarnessCase(
            "t1",
            [.. calls.Select(call => (JsonNode?)new JsonArray([.. call.Select(s => s.Json?.DeepClone())]))],
            Dependencies: new Dictionary<string, DependencyScript> { ["transport"] = transport },
            ClockStart: Start);
        return new RetryCase(harness, requests, tiers, [], "hand-made", scripts.ToDictionary(s => s.Key, s => string.Join(", ", s.Value.Select(HttpAnswers.Word))));
    }

    public static JsonObject Result(string? id, bool ok, int? status, string? error, int attempts, JsonNode? data = null) => new()
    {
        ["id"] = id,
        ["ok"] = ok,
        ["status"] = status,
        ["data"] = data,
        ["error"] = error,
        ["attempts"] = attempts,
    };

    public static JsonObject Telemetry(int requests, int attempts, int retries, int succeeded, double slept, int opened = 0, int closed = 0) => new()
    {
        ["requests"] = requests,
        ["attempts"] = attempts,
        ["retries"] = retries,
        ["succeeded"] = succeeded,
        ["failed"] = requests - succeeded,
        ["slept"] = slept,
        ["breaker_opened"] = opened,
        ["breaker_closed"] = closed,
    };

    public static JsonObject Returned(JsonNode telemetry, params JsonNode[] results) => new()
    {
        ["results"] = new JsonArray([.. results]),
        ["telemetry"] = telemetry,
    };

    private static string? Url(JsonNode? json) => json is JsonObject o && o["url"] is JsonValue v ? v.GetValue<string>() : null;

    private static RetryRequest Label(Spec spec, int call, int index)
    {
        var json = spec.Json as JsonObject;
        var method = json?["method"]?.GetValue<string>();
        var keyed = json?["headers"] is JsonObject headers && headers.ContainsKey("Idempotency-Key");
        return new RetryRequest(call, index, spec.Json, json?["id"]?.GetValue<string>(), Url(spec.Json), method, spec.Defect,
            spec.Defect is null && (method is "GET" or "HEAD" or "PUT" or "DELETE" || keyed));
    }
}

/// <summary>Records one call of a run the way the harness would: each attempt on the virtual clock, each sleep.</summary>
internal sealed class CallRecorder(double start)
{
    private readonly List<DependencyCall> _calls = [];
    private readonly List<double> _sleeps = [];
    private readonly Dictionary<string, int> _attempts = [];

    public double Clock { get; private set; } = start;

    public CallRecorder Send(JsonNode request, ScriptedResponse answer)
    {
        var key = request["url"]?.GetValue<string>() ?? DependencyScript.AnyKey;
        var attempt = _attempts.GetValueOrDefault(key);
        _attempts[key] = attempt + 1;
        _calls.Add(new DependencyCall("transport", key, attempt, Clock, AsReported(answer), Reparse(request)));
        Clock += answer.Latency ?? RetryRules.Latency;
        return this;
    }

    public CallRecorder Sleep(double seconds)
    {
        _sleeps.Add(seconds);
        Clock += seconds;
        return this;
    }

    public CallRun Returns(JsonNode? returned, JsonNode? state = null) =>
        new(CallStatus.Ok, Reparse(returned), Reparse(state ?? new JsonObject()), null, string.Empty, [.. _calls], [.. _sleeps], Clock, 0);

    /// <summary>Values as they come out of a report (parsed JSON), not as built in memory: PyValue reads the parsed form.</summary>
    internal static JsonNode? Reparse(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    internal static ScriptedResponse AsReported(ScriptedResponse answer) => ScriptedResponse.FromJson(Reparse(answer.ToJson())!.AsObject());

    public CallRun Raises(string type, string message) =>
        new(CallStatus.Raised, null, new JsonObject(), new HarnessError(type, message, "line 9"), string.Empty, [.. _calls], [.. _sleeps], Clock, 0);
}
