using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Grading;

/// <summary>Grades a free-text or JSON answer against a typed key, without an LLM.</summary>
/// <remarks>
/// Each slot must be committed to exactly one value: several distinct values for one slot are
/// "ambiguous" and earn nothing, so listing candidates, stuffing keywords or naming every choice
/// cannot score. A JSON object keyed by slot name (also inside prose or a ```json fence) and
/// <c>slot: value</c> lines take precedence over prose; their values still go through typed
/// parsing. Sentences ending in '?' are ignored.
/// </remarks>
public static class AnswerGrader
{
    public static AnswerGrade Grade(AnswerKey key, string answer)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prepared = PreparedAnswer.Parse(answer ?? "", key.Slots);
        var verdicts = new List<GradeCriterion>(key.Slots.Count);
        foreach (var slot in key.Slots)
        {
            var reading = slot.Kind switch
            {
                SlotKind.Number => NumberSlotReader.Read(slot, prepared),
                SlotKind.Date => DateSlotReader.Read(slot, prepared),
                SlotKind.Boolean => BooleanSlotReader.Read(slot, prepared),
                SlotKind.Entity => EntitySlotReader.Read(slot, prepared),
                _ => throw new ArgumentOutOfRangeException(nameof(key), slot.Kind, "Unknown slot kind."),
            };
            var credit = reading.Verdict == SlotReading.Correct ? slot.Weight : 0;
            verdicts.Add(new GradeCriterion(slot.Name, slot.ExpectedText, reading.Extracted, reading.Verdict, slot.Weight, credit));
        }

        var totalWeight = verdicts.Sum(v => v.Weight);
        var correctness = totalWeight > 0 ? Math.Clamp(verdicts.Sum(v => v.Credit) / totalWeight, 0, 1) : 0;
        return new AnswerGrade(correctness, verdicts);
    }
}
