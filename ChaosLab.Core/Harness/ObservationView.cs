using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// The observation envelope fields every suite writes after a step (<c>status</c>, <c>error</c>,
/// <c>result</c>, <c>tool_name</c>, <c>steps_remaining</c>), read as the agent receives them:
/// the harness regulates with exactly what the model could see.
/// </summary>
public sealed record ObservationView(bool Failed, string? ToolName, string? ErrorText, string Information, int? StepsRemaining)
{
    /// <summary>Longest error text kept (for notes and skill retrieval).</summary>
    public const int MaxErrorLength = 300;

    public static ObservationView Of(AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var observation = step.Observation;
        var status = Text(observation["status"]);
        var error = step.Refusal ?? Text(observation["error"]);
        var failed = step.Refusal is not null || status == "error";
        var result = observation["result"];

        // A failed call's body is its error (a 429, a 503, "not found"), which the model reads as the error.
        var errorText = failed ? error ?? (result is null ? null : Flatten(result)) : null;
        var information = CanonicalJson.Serialize(new JsonObject
        {
            ["status"] = status,
            ["error"] = error,
            ["result"] = result?.DeepClone(),
        });
        var remaining = observation["steps_remaining"] is JsonValue value && value.TryGetValue<int>(out var r) ? r : (int?)null;
        return new ObservationView(failed, Text(observation["tool_name"]), errorText is null ? null : Cut(errorText), information, remaining);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Flatten(JsonNode node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node.ToJsonString();

    private static string Cut(string text) => text.Length <= MaxErrorLength ? text : text[..(MaxErrorLength - 3)] + "...";
}
