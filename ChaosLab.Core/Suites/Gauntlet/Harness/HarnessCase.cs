using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Gauntlet.Harness;

/// <summary>
/// One graded case: the calls made to the submitted function, in order, on one state that the
/// harness carries (serialized) from call to call, and the scripted runtime the calls can reach.
/// Payloads and state are Python values in <see cref="PyValue"/>'s JSON form.
/// </summary>
/// <param name="Id">Unique within a case set; verdicts and the replay name the case by it.</param>
/// <param name="Calls">The first argument of each call (the second is the state).</param>
/// <param name="State">The state the first call gets; an empty dict when null.</param>
/// <param name="Dependencies">What each runtime dependency named by the piece answers.</param>
/// <param name="ClockStart">The virtual clock (seconds) the case starts at: what <c>now()</c> first returns.</param>
public sealed record HarnessCase(
    string Id,
    IReadOnlyList<JsonNode?> Calls,
    JsonNode? State = null,
    IReadOnlyDictionary<string, DependencyScript>? Dependencies = null,
    double ClockStart = 0)
{
    internal JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["calls"] = new JsonArray([.. Calls.Select(c => c?.DeepClone())]),
            ["state"] = State?.DeepClone() ?? new JsonObject(),
            ["clock_start"] = ClockStart,
        };
        if (Dependencies is { Count: > 0 })
        {
            json["dependencies"] = new JsonObject(Dependencies.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value.ToJson())));
        }

        return json;
    }
}

/// <summary>
/// What a runtime dependency (e.g. <c>publish</c>, <c>transport</c>) answers, by attempt. Calls are
/// grouped by <paramref name="Key"/>, a field of the call's first argument (e.g. <c>"url"</c>), or
/// all in one group when null; each group walks its own list of responses, then answers
/// <paramref name="Then"/> for ever. A gate answers its closed response to every call before the
/// virtual clock reaches its opening time, without using up the list (an outage window, a
/// Retry-After).
/// </summary>
/// <param name="Latency">Seconds each call takes on the virtual clock, unless the response says otherwise.</param>
public sealed record DependencyScript(
    IReadOnlyList<ScriptedResponse> Default,
    ScriptedResponse Then,
    string? Key = null,
    IReadOnlyDictionary<string, IReadOnlyList<ScriptedResponse>>? PerKey = null,
    IReadOnlyDictionary<string, DependencyGate>? Gates = null,
    double Latency = 0)
{
    /// <summary>The key of calls whose argument lacks <see cref="Key"/>, and of gates that apply to every group.</summary>
    public const string AnyKey = "*";

    public static DependencyScript Always(ScriptedResponse response) => new([], response);

    internal JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["default"] = new JsonArray([.. Default.Select(r => (JsonNode)r.ToJson())]),
            ["then"] = Then.ToJson(),
            ["latency"] = Latency,
        };
        if (Key is not null)
        {
            json["key"] = Key;
        }

        if (PerKey is { Count: > 0 })
        {
            json["responses"] = new JsonObject(PerKey.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray([.. p.Value.Select(r => (JsonNode)r.ToJson())]))));
        }

        if (Gates is { Count: > 0 })
        {
            json["gates"] = new JsonObject(Gates.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)new JsonObject
            {
                ["open_at"] = g.Value.OpenAt,
                ["closed"] = g.Value.Closed.ToJson(),
            })));
        }

        return json;
    }
}

/// <param name="OpenAt">Virtual time (seconds) from which calls are served from the script again.</param>
/// <param name="Closed">The answer before then (a 429 with its Retry-After, a connection error).</param>
public sealed record DependencyGate(double OpenAt, ScriptedResponse Closed);

/// <summary>
/// One answer of a dependency: a value it returns, or an exception it raises in the submission
/// (<see cref="Raisable"/>), taking <paramref name="Latency"/> seconds of virtual time when set.
/// </summary>
public sealed record ScriptedResponse
{
    /// <summary>Exception types the harness can raise in the submission (the first two are defined by the runtime).</summary>
    public static IReadOnlyList<string> Raisable { get; } = ["TransientError", "PermanentError", "TimeoutError", "ConnectionError", "ValueError"];

    private ScriptedResponse(JsonNode? value, string? raise, string? message, double? latency)
    {
        Value = value;
        Raise = raise;
        Message = message;
        Latency = latency;
    }

    /// <summary>The value returned (a Python value in <see cref="PyValue"/>'s form); null when it raises.</summary>
    public JsonNode? Value { get; }

    /// <summary>The exception type raised, or null when it returns.</summary>
    public string? Raise { get; }

    public string? Message { get; }

    public double? Latency { get; }

    public bool IsRaise => Raise is not null;

    public static ScriptedResponse Returns(JsonNode? value, double? latency = null) => new(value, null, null, latency);

    public static ScriptedResponse Raising(string exceptionType, string message, double? latency = null)
    {
        if (!Raisable.Contains(exceptionType))
        {
            throw new ArgumentOutOfRangeException(nameof(exceptionType), exceptionType, "The harness cannot raise this exception type.");
        }

        return new(null, exceptionType, message, latency);
    }

    internal JsonObject ToJson()
    {
        var json = Raise is null
            ? new JsonObject { ["return"] = Value?.DeepClone() }
            : new JsonObject { ["raise"] = Raise, ["message"] = Message ?? string.Empty };
        if (Latency is { } latency)
        {
            json["latency"] = latency;
        }

        return json;
    }

    internal static ScriptedResponse FromJson(JsonObject json) =>
        json["raise"]?.GetValue<string>() is { } raise
            ? new(null, raise, json["message"]?.GetValue<string>(), ReadLatency(json))
            : new(json["return"]?.DeepClone(), null, null, ReadLatency(json));

    private static double? ReadLatency(JsonObject json) =>
        json["latency"] is JsonValue v && v.TryGetValue<double>(out var latency) ? latency : null;

    public override string ToString() => Raise is null
        ? "returns " + (Value?.ToJsonString() ?? "None")
        : string.Create(CultureInfo.InvariantCulture, $"raises {Raise}({Message})");
}
