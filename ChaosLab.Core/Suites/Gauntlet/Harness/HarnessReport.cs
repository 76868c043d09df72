using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Gauntlet.Harness;

/// <summary>
/// What the harness saw of a submission's run: per case, per call, what came back, the state
/// it left, what it asked of its dependencies and how long it slept on the virtual clock.
/// Parsed strictly: anything but the one report line the harness prints is a failed run.
/// </summary>
/// <param name="LoadError">The submission does not compile; no call was made.</param>
public sealed record HarnessReport(HarnessError? LoadError, IReadOnlyList<CaseRun> Cases)
{
    public const int Version = 1;

    /// <summary>The case run by id, or null when the harness did not report it.</summary>
    public CaseRun? Find(string caseId) => Cases.FirstOrDefault(c => c.Id == caseId);

    /// <summary>The report, or why the output is not one (then the run cannot be graded).</summary>
    internal static (HarnessReport? Report, string? Problem) Parse(string stdout, IReadOnlyList<HarnessCase> cases)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != 1)
        {
            return (null, lines.Length == 0 ? "the harness printed no report" : $"the sandbox's output has {lines.Length} lines where the harness prints one report: something else wrote to it");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(lines[0]) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return (null, "the harness report is not JSON: " + e.Message);
        }

        if (json["harness"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != Version)
        {
            return (null, "the report is not from this harness version");
        }

        try
        {
            var loadError = HarnessError.FromJson(json["load_error"]);
            var runs = (json["cases"] as JsonArray ?? []).Select(c => CaseRun.FromJson(c!.AsObject())).ToList();
            if (loadError is null && (runs.Count != cases.Count || runs.Zip(cases).Any(p => p.First.Id != p.Second.Id || p.First.Calls.Count != p.Second.Calls.Count)))
            {
                return (null, "the report's cases and calls do not match the cases given");
            }

            return (new HarnessReport(loadError, runs), null);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or NullReferenceException or FormatException or KeyNotFoundException)
        {
            return (null, "the harness report is malformed: " + e.Message);
        }
    }
}

public sealed record CaseRun(string Id, IReadOnlyList<CallRun> Calls)
{
    internal static CaseRun FromJson(JsonObject json) =>
        new(json["id"]!.GetValue<string>(), [.. json["calls"]!.AsArray().Select(c => CallRun.FromJson(c!.AsObject()))]);
}

/// <summary>One call of the submitted function.</summary>
/// <param name="Returned">What the function returned (when <see cref="Status"/> is <see cref="CallStatus.Ok"/>).</param>
/// <param name="State">The state after the call (also after an exception, when it could be serialized).</param>
/// <param name="Stdout">What the submission printed during the call (capped).</param>
/// <param name="Clock">The virtual clock (seconds) when the call ended.</param>
/// <param name="ElapsedMs">Wall time of the call: for measurements only, never graded (it varies between machines).</param>
public sealed record CallRun(
    CallStatus Status,
    JsonNode? Returned,
    JsonNode? State,
    HarnessError? Error,
    string Stdout,
    IReadOnlyList<DependencyCall> Dependencies,
    IReadOnlyList<double> Sleeps,
    double Clock,
    int ElapsedMs)
{
    public bool Succeeded => Status == CallStatus.Ok;

    /// <summary>The virtual seconds the call slept in total.</summary>
    public double Slept => Sleeps.Sum();

    /// <summary>"raised ValueError: could not convert string to float: 'ERR' (line 12)", "timed out", …</summary>
    public string Describe() => Status switch
    {
        CallStatus.Ok => "returned",
        CallStatus.Raised => $"raised {Error?.Type}: {Error?.Message}" + (Error?.Where is { } where ? $" ({where})" : string.Empty),
        _ => Error?.Message ?? Status.ToString(),
    };

    internal static CallRun FromJson(JsonObject json) => new(
        ParseStatus(json["status"]!.GetValue<string>()),
        json["returned"]?.DeepClone(),
        json["state"]?.DeepClone(),
        HarnessError.FromJson(json["error"]),
        json["stdout"]?.GetValue<string>() ?? string.Empty,
        [.. (json["deps"] as JsonArray ?? []).Select(d => DependencyCall.FromJson(d!.AsObject()))],
        [.. (json["sleeps"] as JsonArray ?? []).Select(s => s!.GetValue<double>())],
        json["clock"]?.GetValue<double>() ?? 0,
        json["ms"]?.GetValue<int>() ?? 0);

    private static CallStatus ParseStatus(string status) => status switch
    {
        "ok" => CallStatus.Ok,
        "raised" => CallStatus.Raised,
        "timeout" => CallStatus.TimedOut,
        "crashed" => CallStatus.Crashed,
        "storm" => CallStatus.DependencyStorm,
        "too_large" => CallStatus.TooLarge,
        "skipped" => CallStatus.Skipped,
        _ => throw new FormatException($"unknown call status '{status}'"),
    };
}

public enum CallStatus
{
    /// <summary>The function returned.</summary>
    Ok,

    /// <summary>The function (or loading the submission) raised.</summary>
    Raised,

    /// <summary>The call ran past its time limit and was killed.</summary>
    TimedOut,

    /// <summary>The call's process ended without returning (<c>os._exit</c>, a signal, a broken channel).</summary>
    Crashed,

    /// <summary>The call made more dependency calls than the limit and was killed: a retry storm.</summary>
    DependencyStorm,

    /// <summary>The result, the state or the call's messages passed their size limits.</summary>
    TooLarge,

    /// <summary>Not run, because earlier calls of the run timed out too often.</summary>
    Skipped,
}

/// <param name="Key">The group the call belongs to (<see cref="DependencyScript.Key"/>), <c>*</c> when ungrouped.</param>
/// <param name="Attempt">0-based index of this call within its group.</param>
/// <param name="At">Virtual time when the call was made.</param>
/// <param name="Argument">The call's first argument (<c>{"$too_large":true}</c> when it was too big to record).</param>
public sealed record DependencyCall(string Name, string Key, int Attempt, double At, ScriptedResponse Response, JsonNode? Argument)
{
    internal static DependencyCall FromJson(JsonObject json) => new(
        json["dep"]!.GetValue<string>(),
        json["key"]!.GetValue<string>(),
        json["attempt"]!.GetValue<int>(),
        json["at"]!.GetValue<double>(),
        ScriptedResponse.FromJson(json["response"]!.AsObject()),
        json["arg"]?.DeepClone());
}

/// <param name="Where">"line 12" of the submission, when known.</param>
public sealed record HarnessError(string Type, string Message, string? Where)
{
    internal static HarnessError? FromJson(JsonNode? json) => json is JsonObject o
        ? new HarnessError(o["type"]?.GetValue<string>() ?? "Error", o["message"]?.GetValue<string>() ?? string.Empty, o["where"]?.GetValue<string>())
        : null;
}
