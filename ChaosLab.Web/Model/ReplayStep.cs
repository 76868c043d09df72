using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Web.Model;

/// <summary>One recorded step, read once from its row and laid out for the replay.</summary>
public sealed class ReplayStep
{
    private readonly Lazy<IReadOnlyList<DiffLine>> _diff;
    private readonly Lazy<StepResultViews> _views;

    private ReplayStep(RecordedStep row)
    {
        Index = row.StepIndex;
        Reward = row.Reward;
        Done = row.Done;
        EpisodeTime = row.EpisodeTime;
        WallTime = TimeSpan.FromMicroseconds(row.WallTimeUs);
        Error = row.Error;

        var action = ParseObject(row.ActionJson);
        var type = action?["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeName) ? typeName : null;
        Label = action is null ? "reset" : type == AgentAction.CallToolType ? (action["tool_name"] ?? action["tool"])?.ToString() ?? AgentAction.CallToolType : type ?? "action";
        ActionType = type;
        Action = action is null ? null : JsonText.Pretty(action);
        Arguments = action?["arguments"] is JsonObject arguments ? JsonText.Pretty(arguments) : null;

        var observation = ParseObject(row.ObservationJson) ?? [];
        if (observation["tools"] is JsonArray tools)
        {
            // Thirty tool schemas would bury what changed; the count says they were there.
            ListedToolCount = tools.Count;
            observation.Remove("tools");
        }

        Observation = JsonText.Pretty(observation);
        Status = action is null ? "reset" : observation["status"]?.ToString() ?? (row.Error is null ? "ok" : "error");

        CleanResult = row.CleanResult is null ? null : JsonText.Format(row.CleanResult);
        DeliveredResult = row.DeliveredResult is null ? null : JsonText.Format(row.DeliveredResult);
        Faults = Deserialize(row.FaultsJson, WebJsonContext.Default.IReadOnlyListFaultDecision);
        RewardComponents = Deserialize(row.RewardComponentsJson, WebJsonContext.Default.IReadOnlyListRewardComponent);
        FiredKinds = [.. Faults.Where(f => f.Fired).Select(f => f.Kind).Distinct(StringComparer.Ordinal)];
        ResultChanged = row.CleanResult is not null && row.DeliveredResult is not null
            && !string.Equals(row.CleanResult, row.DeliveredResult, StringComparison.Ordinal);
        _diff = new(() => ResultChanged ? TextDiff.Collapse(TextDiff.Lines(CleanResult, DeliveredResult)) : []);
        _views = new(() => StepResultViews.Read(row.CleanResult, row.DeliveredResult));
    }

    /// <summary>The step index as recorded (0 is the reset).</summary>
    public int Index { get; }

    /// <summary>What the step did, for the timeline: the tool's name, "reset", "submit_answer", ...</summary>
    public string Label { get; }

    public string? ActionType { get; }

    /// <summary>"reset", "ok" or "error".</summary>
    public string Status { get; }

    public string? Action { get; }

    public string? Arguments { get; }

    public string Observation { get; }

    /// <summary>How many tools the observation listed (left out of <see cref="Observation"/>).</summary>
    public int ListedToolCount { get; }

    public string? CleanResult { get; }

    public string? DeliveredResult { get; }

    /// <summary>A fault made the delivered result differ from the clean one.</summary>
    public bool ResultChanged { get; }

    /// <summary>Clean (old) to delivered (new), line by line with long unchanged runs collapsed; empty when nothing changed.</summary>
    public IReadOnlyList<DiffLine> Diff => _diff.Value;

    /// <summary>The message flows, trial summaries and configuration change the step's result carries (read when first asked).</summary>
    public StepResultViews Views => _views.Value;

    public IReadOnlyList<FaultDecision> Faults { get; }

    public IReadOnlyList<string> FiredKinds { get; }

    public IReadOnlyList<RewardComponent> RewardComponents { get; }

    public double Reward { get; }

    public bool Done { get; }

    public DateTimeOffset EpisodeTime { get; }

    public TimeSpan WallTime { get; }

    public string? Error { get; }

    public bool Faulted => FiredKinds.Count > 0;

    public static ReplayStep From(RecordedStep row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new ReplayStep(row);
    }

    private static JsonObject? ParseObject(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return new JsonObject { ["unreadable"] = json };
        }
    }

    private static IReadOnlyList<T> Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<T>> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
