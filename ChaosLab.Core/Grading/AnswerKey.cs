using System.Text.Json.Nodes;

namespace ChaosLab.Core.Grading;

/// <summary>The typed answer key of one question.</summary>
public sealed record AnswerKey(IReadOnlyList<AnswerSlot> Slots)
{
    /// <summary>The key as the replay record stores it (snake_case, invariant values).</summary>
    public JsonObject ToJson()
    {
        var slots = new JsonArray();
        foreach (var slot in Slots)
        {
            var json = new JsonObject
            {
                ["name"] = slot.Name,
                ["kind"] = slot.Kind.ToString().ToLowerInvariant(),
                ["weight"] = slot.Weight,
                ["expected"] = ExpectedNode(slot),
                ["description"] = slot.Description,
            };
            if (slot.Kind == SlotKind.Number)
            {
                json["relative_tolerance"] = slot.RelativeTolerance;
            }

            AddOptional(json, "unit", slot.Unit);
            AddList(json, "aliases", slot.Aliases);
            AddList(json, "choices", slot.Choices);
            AddList(json, "cues", slot.Cues);
            if (slot.QuestionValues is { Count: > 0 } values)
            {
                json["question_values"] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            }

            slots.Add(json);
        }

        return new JsonObject { ["slots"] = slots };
    }

    private static JsonValue ExpectedNode(AnswerSlot slot) => slot.Kind switch
    {
        SlotKind.Number => JsonValue.Create(slot.ExpectedNumber),
        SlotKind.Date => JsonValue.Create(ValueFormat.Date(slot.ExpectedDate)),
        SlotKind.Boolean => JsonValue.Create(slot.ExpectedBoolean),
        _ => JsonValue.Create(slot.ExpectedEntity),
    };

    private static void AddOptional(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static void AddList(JsonObject json, string name, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            json[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }
    }
}
