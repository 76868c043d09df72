using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Web.Model.Results;

/// <summary>One setting that differs between the two configurations.</summary>
/// <param name="Path">Its JSON Pointer, e.g. <c>/retry_max</c> or <c>/role_specs/writer-1/constraints</c>.</param>
/// <param name="Before">Its value before as compact JSON, null when it was absent.</param>
/// <param name="After">Its value after, null when it is absent.</param>
public sealed record ConfigFieldChange(string Path, string? Before, string? After);

/// <summary>
/// The <c>config_change</c> convention of step results: <c>{"before":{..},"after":{..}}</c>, a
/// configuration the agent submitted against the one in force. Both sides are laid out as
/// canonical pretty JSON (keys sorted), so the diff shows what changed and not how it was spelled.
/// </summary>
public sealed class ConfigChange
{
    /// <summary>The convention's property name.</summary>
    public const string PropertyName = "config_change";

    private ConfigChange(string before, string after, IReadOnlyList<ConfigFieldChange> changes)
    {
        Before = before;
        After = after;
        Changes = changes;
        Lines = TextDiff.AlignJsonMembers(TextDiff.Lines(before, after));
    }

    public string Before { get; }

    public string After { get; }

    /// <summary>The settings that differ, in the order of the canonical text. Arrays count as one value.</summary>
    public IReadOnlyList<ConfigFieldChange> Changes { get; }

    /// <summary>Before to after, line by line (whole: a configuration is short), each changed setting opposite its old value.</summary>
    public IReadOnlyList<DiffLine> Lines { get; }

    public IReadOnlyList<DiffRow> Rows => TextDiff.SideBySide(Lines);

    /// <returns>null unless both <c>before</c> and <c>after</c> are JSON objects.</returns>
    public static ConfigChange? Read(JsonNode? node)
    {
        if (node is not JsonObject obj || obj["before"] is not JsonObject before || obj["after"] is not JsonObject after)
        {
            return null;
        }

        var canonicalBefore = Canonical(before);
        var canonicalAfter = Canonical(after);
        var changes = new List<ConfigFieldChange>();
        Compare("", canonicalBefore, canonicalAfter, changes);
        return new ConfigChange(JsonText.Pretty(canonicalBefore), JsonText.Pretty(canonicalAfter), changes);
    }

    private static JsonNode? Canonical(JsonNode node) => JsonNode.Parse(CanonicalJson.Serialize(node));

    private static void Compare(string path, JsonNode? before, JsonNode? after, List<ConfigFieldChange> changes)
    {
        if (before is JsonObject oldObject && after is JsonObject newObject)
        {
            // Keys are sorted in both (canonical), so the merged order is the text's order.
            foreach (var key in oldObject.Select(p => p.Key).Union(newObject.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                var child = JsonPointer.Append(path, key);
                var inOld = oldObject.TryGetPropertyValue(key, out var oldValue);
                var inNew = newObject.TryGetPropertyValue(key, out var newValue);
                if (inOld && inNew)
                {
                    Compare(child, oldValue, newValue, changes);
                }
                else
                {
                    changes.Add(new ConfigFieldChange(child, inOld ? Compact(oldValue) : null, inNew ? Compact(newValue) : null));
                }
            }

            return;
        }

        var oldText = Compact(before);
        var newText = Compact(after);
        if (oldText != newText)
        {
            changes.Add(new ConfigFieldChange(path.Length == 0 ? "/" : path, oldText, newText));
        }
    }

    private static string Compact(JsonNode? node) => CanonicalJson.Serialize(node);
}
