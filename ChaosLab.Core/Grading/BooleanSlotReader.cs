namespace ChaosLab.Core.Grading;

/// <summary>Commits a boolean slot to true or false; both offered ("yes and no") is ambiguous.</summary>
internal static class BooleanSlotReader
{
    public static SlotReading Read(AnswerSlot slot, PreparedAnswer answer)
    {
        var expected = slot.ExpectedBoolean;
        List<bool> values;
        if (answer.StructuredValues(slot) is { } structured)
        {
            values = [.. structured.SelectMany(v => v.Boolean is { } b ? [b] : BooleanExtractor.Extract(v.Text, slot.Cues).Select(e => e.Value))];
            if (values.Count == 0)
            {
                return SlotReading.Unreadable(string.Join(" | ", structured.Select(v => v.Text)));
            }
        }
        else
        {
            values = [.. BooleanExtractor.Extract(answer.FreeText, slot.Cues).Select(e => e.Value)];
        }

        return SlotReading.FromDistinct([.. values.Distinct()], ValueFormat.Boolean, v => v == expected);
    }
}
