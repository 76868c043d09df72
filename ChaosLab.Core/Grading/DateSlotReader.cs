namespace ChaosLab.Core.Grading;

/// <summary>Commits a date slot to one date, or finds it ambiguous.</summary>
internal static class DateSlotReader
{
    public static SlotReading Read(AnswerSlot slot, PreparedAnswer answer)
    {
        var expected = slot.ExpectedDate;
        List<DateOnly> dates;
        if (answer.StructuredValues(slot) is { } structured)
        {
            dates = [.. structured.SelectMany(v => DateExtractor.Extract(v.Text)).Select(d => d.Value)];
            if (dates.Count == 0)
            {
                return SlotReading.Unreadable(string.Join(" | ", structured.Select(v => v.Text)));
            }
        }
        else
        {
            dates = [.. DateExtractor.Extract(answer.FreeText).Select(d => d.Value)];
        }

        return SlotReading.FromDistinct([.. dates.Distinct()], ValueFormat.Date, d => d == expected);
    }
}
