using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Results;

/// <summary>A participant of a message flow: one lane of the sequence diagram.</summary>
/// <param name="Declared">Listed in the trace's <c>agents</c>; false for a sender or receiver only the messages name (an orchestrator, a guard).</param>
public sealed record FlowLane(string Id, string? Role, bool Declared);

public enum FlowDirection
{
    Right,
    Left,
    Self,
}

/// <summary>One message of a flow, placed between its lanes.</summary>
/// <param name="Status">ok, error (the receiver failed on it), blocked (a guard stopped it), dropped, or whatever the suite wrote.</param>
/// <param name="Fault">The fault kind that shaped the message; only ever set from a clean (truthful) result.</param>
public sealed record FlowMessage(
    int Seq,
    int? AtMs,
    string From,
    string To,
    string Type,
    string? Format,
    string Body,
    string Status,
    string? Fault,
    int FromLane,
    int ToLane)
{
    /// <summary>How much of the body the arrow shows before it is expanded.</summary>
    public const int SummaryLength = 120;

    public int FirstLane => Math.Min(FromLane, ToLane);

    public int LastLane => Math.Max(FromLane, ToLane);

    /// <summary>How many lanes the arrow spans, its own two included.</summary>
    public int Span => LastLane - FirstLane + 1;

    public FlowDirection Direction => FromLane == ToLane ? FlowDirection.Self : FromLane < ToLane ? FlowDirection.Right : FlowDirection.Left;

    /// <summary>The receiver failed on it or something stopped it: the arrow is marked.</summary>
    public bool Failed => Status is not "ok";

    /// <summary>The body's first line, cut to <see cref="SummaryLength"/> characters.</summary>
    public string Summary
    {
        get
        {
            var text = Body.Trim();
            var newline = text.IndexOfAny(['\r', '\n']);
            var first = newline >= 0 ? text[..newline].TrimEnd() : text;
            var more = newline >= 0;
            if (first.Length > SummaryLength)
            {
                first = first[..(SummaryLength - 1)];
                more = true;
            }

            return more ? first + " …" : first;
        }
    }
}

/// <summary>
/// The <c>message_trace</c> convention of step results, read for the replay's sequence diagram
/// (found by <see cref="IsTrace"/>):
/// <c>{"run_id", "passed", "failure", "agents":[{"id","role"}], "messages":[{"seq","at_ms","from",
/// "to","type","format","body","status","fault"?}]}</c>. Any suite whose results carry one gets
/// the diagram; a trace that is not of this shape is ignored, and single malformed messages are
/// skipped and counted, so a result a fault mangled never breaks the page.
/// </summary>
public sealed class MessageFlow
{
    /// <summary>The convention's property name.</summary>
    public const string PropertyName = "message_trace";

    /// <summary>
    /// Where a result holds a trace: the value of a <c>message_trace</c> property, or an object
    /// of the trace's shape (an <c>agents</c> and a <c>messages</c> array) under another name,
    /// e.g. a trial's <c>failing_run</c>.
    /// </summary>
    public static bool IsTrace(string property, JsonNode value) =>
        property == PropertyName || (value is JsonObject obj && obj["agents"] is JsonArray && obj["messages"] is JsonArray);

    /// <summary>Messages drawn at most; the rest are counted, not drawn (a run stuck in a loop can send thousands).</summary>
    public const int MaxMessages = 400;

    private MessageFlow(string? runId, bool? passed, string? failure, IReadOnlyList<FlowLane> lanes, IReadOnlyList<FlowMessage> messages, int skipped, int notDrawn, bool truthful)
    {
        RunId = runId;
        Passed = passed;
        Failure = failure;
        Lanes = lanes;
        Messages = messages;
        Skipped = skipped;
        NotDrawn = notDrawn;
        Truthful = truthful;
    }

    public string? RunId { get; }

    /// <summary>Whether the run passed, when the trace says.</summary>
    public bool? Passed { get; }

    /// <summary>Why the run failed, as the suite reported it.</summary>
    public string? Failure { get; }

    /// <summary>
    /// The declared agents in their order, then any other participant in order of first appearance;
    /// an undeclared sender of the first message (the run's initiator) comes first instead.
    /// </summary>
    public IReadOnlyList<FlowLane> Lanes { get; }

    /// <summary>The messages in sequence order.</summary>
    public IReadOnlyList<FlowMessage> Messages { get; }

    /// <summary>Messages left out because they were not readable (no sender or receiver).</summary>
    public int Skipped { get; }

    /// <summary>Readable messages beyond <see cref="MaxMessages"/>.</summary>
    public int NotDrawn { get; }

    /// <summary>Read from the clean result: fault labels are the truth and may be shown.</summary>
    public bool Truthful { get; }

    /// <summary>The fault kinds marked on messages, in order of first appearance.</summary>
    public IReadOnlyList<string> FaultKinds => [.. Messages.Select(m => m.Fault).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Reads a trace. <paramref name="truthful"/> says the trace comes from the clean result:
    /// only then are messages' <c>fault</c> labels kept (an operator's view must never show them).
    /// </summary>
    /// <returns>null when <paramref name="trace"/> is not a trace with at least one readable message.</returns>
    public static MessageFlow? Read(JsonNode? trace, bool truthful)
    {
        if (trace is not JsonObject obj || obj["messages"] is not JsonArray rawMessages)
        {
            return null;
        }

        var lanes = new List<FlowLane>();
        var laneIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        if (obj["agents"] is JsonArray agents)
        {
            foreach (var agent in agents.OfType<JsonObject>())
            {
                if (ResultJson.String(agent["id"]) is { Length: > 0 } id && laneIndex.TryAdd(id, lanes.Count))
                {
                    lanes.Add(new FlowLane(id, ResultJson.String(agent["role"]), Declared: true));
                }
            }
        }

        var readable = new List<(int Seq, int Position, JsonObject Message, string From, string To)>();
        var skipped = 0;
        for (var position = 0; position < rawMessages.Count; position++)
        {
            if (rawMessages[position] is JsonObject message
                && ResultJson.String(message["from"]) is { Length: > 0 } from
                && ResultJson.String(message["to"]) is { Length: > 0 } to)
            {
                readable.Add((ResultJson.Int(message["seq"]) ?? position, position, message, from, to));
            }
            else
            {
                skipped++;
            }
        }

        if (readable.Count == 0)
        {
            return null;
        }

        var drawn = readable.OrderBy(m => m.Seq).ThenBy(m => m.Position).Take(MaxMessages).ToList();
        if (!laneIndex.ContainsKey(drawn[0].From))
        {
            // Whoever starts the run (an orchestrator handing out the task) is drawn on the left, as a sequence diagram's initiator.
            lanes.Insert(0, new FlowLane(drawn[0].From, null, Declared: false));
            laneIndex = lanes.Select((lane, index) => (lane.Id, index)).ToDictionary(l => l.Id, l => l.index, StringComparer.Ordinal);
        }

        var messages = new List<FlowMessage>(drawn.Count);
        foreach (var (seq, _, message, from, to) in drawn)
        {
            messages.Add(new FlowMessage(
                seq,
                ResultJson.Int(message["at_ms"]),
                from,
                to,
                ResultJson.String(message["type"]) is { Length: > 0 } type ? type : "message",
                ResultJson.String(message["format"]),
                message["body"] is { } body ? ResultJson.Text(body) : "",
                (ResultJson.String(message["status"]) ?? "ok").ToLowerInvariant(),
                truthful && ResultJson.String(message["fault"]) is { Length: > 0 } fault ? fault : null,
                LaneOf(from),
                LaneOf(to)));
        }

        return new MessageFlow(
            obj["run_id"] is { } runId ? ResultJson.Text(runId) : null,
            ResultJson.Bool(obj["passed"]),
            ResultJson.String(obj["failure"]) is { Length: > 0 } failure ? failure : null,
            lanes,
            messages,
            skipped,
            readable.Count - drawn.Count,
            truthful);

        int LaneOf(string id)
        {
            if (!laneIndex.TryGetValue(id, out var index))
            {
                index = lanes.Count;
                laneIndex.Add(id, index);
                lanes.Add(new FlowLane(id, null, Declared: false));
            }

            return index;
        }
    }
}
