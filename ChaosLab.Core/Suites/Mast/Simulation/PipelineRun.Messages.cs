using System.Globalization;
using System.Text;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>The bodies of the run's messages: the plan, notes, drafts, reports and actions as real structured data.</summary>
internal sealed partial class PipelineRun
{
    private string TaskText()
    {
        var constraints = _instance.Task.Constraints.Count == 0 ? "none" : string.Join(", ", _instance.Task.Constraints);
        return $"{_instance.Task.Goal} Topic: {_content.Topic}. {Items.ToString(CultureInfo.InvariantCulture)} items. Constraints: {constraints}.";
    }

    private KeyValuePair<string, object>[] PlanMessage() =>
    [
        new("topic", _content.Topic),
        new("steps", _content.Steps.ToArray<object>()),
        new("constraints", _instance.Task.Constraints.ToArray<object>()),
    ];

    private string PlanProse() => $"Plan for {_content.Topic}: {string.Join("; ", _content.Steps.Select((s, i) => $"{i + 1}. {s}"))}.";

    /// <summary>A role's output for the first <paramref name="covered"/> items (a drifting agent covers fewer).</summary>
    private KeyValuePair<string, object>[] ItemsMessage(string type, int covered)
    {
        var entries = new object[Math.Min(covered, Items)];
        var written = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (_lost[i] && type is "notes" or "report")
            {
                continue;
            }

            entries[written++] = type switch
            {
                "notes" => new KeyValuePair<string, object>[] { new("item", i + 1), new("note", ItemText(i)) },
                "report" => new KeyValuePair<string, object>[] { new("step", i + 1), new("result", ItemText(i)) },
                "plan" or "assignment" => _content.Steps[i],
                _ => new KeyValuePair<string, object>[] { new("section", i + 1), new("text", ItemText(i)) },
            };
        }

        var list = written == entries.Length ? entries : entries[..written];
        return type switch
        {
            "notes" => [new("topic", _content.Topic), new("notes", list)],
            "report" => [new("topic", _content.Topic), new("steps", list)],
            "plan" or "assignment" => [new("topic", _content.Topic), new("steps", list), new("constraints", _instance.Task.Constraints.ToArray<object>())],
            _ => [new("title", $"Report on {_content.Topic}"), new("sections", list)],
        };
    }

    private string ItemsProse(int covered)
    {
        var text = new StringBuilder($"Report on {_content.Topic}.");
        for (var i = 0; i < Math.Min(covered, Items); i++)
        {
            if (!_lost[i])
            {
                text.Append(CultureInfo.InvariantCulture, $" {i + 1}. {ItemText(i)}.");
            }
        }

        return text.ToString();
    }

    /// <summary>An item as the output states it: honouring the task's constraints, or with the first violation showing.</summary>
    private string ItemText(int index)
    {
        var text = _content.ItemText(index, _instance.Task.Constraints);
        return _violations.Count > 0 && index == 0 ? $"{text} (not checked against {_violations[0].Constraint})" : text;
    }

    /// <summary>An executor's action: its reasoning and the action it takes, which FM-2.6 makes differ.</summary>
    private string ActionBody(int index, string planned, string effect) => _workspace.Codec.ToJson(
    [
        new("step", index + 1),
        new("reasoning", $"The plan says to {planned}, so I will {planned}."),
        new("action", effect),
    ]);
}
