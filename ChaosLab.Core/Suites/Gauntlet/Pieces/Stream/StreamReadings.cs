namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>Whether a call emitted every event of a label exactly once with its value: "nothing valid is lost", per class.</summary>
internal static class StreamReadings
{
    public static Problem? AllEmitted(StreamCallRun call, StreamLabel label, int tier, string what)
    {
        if (call.ShapeProblem is { } shape)
        {
            return new(shape, call.EventsEvidence());
        }

        var emitted = call.Readings.Where(r => r.Source is not null).ToLookup(r => r.Source!.Value.Index);
        for (var i = 0; i < call.Truth.Events.Count; i++)
        {
            var e = call.Truth.Events[i];
            if (e.Label != label)
            {
                continue;
            }

            var copies = emitted[i].ToList();
            var shown = $"{e.Sensor} = {StreamCaseRun.Number(e.Value!.Value)} at ts {StreamCaseRun.Number(e.Ts!.Value)}";
            var message = copies.Count == 0 ? $"{what} was lost in call {call.Index}: {shown} (event {i})"
                : copies.Count > 1 ? $"{what} was emitted {copies.Count} times in call {call.Index}: {shown} (event {i})"
                : copies[0].Value != e.Value ? $"{what} was emitted with value {PyValue(copies[0])} instead of {StreamCaseRun.Number(e.Value!.Value)} in call {call.Index}: {shown} (event {i})"
                : null;
            if (message is not null)
            {
                return new($"{message}{Hint(label)}", call.EventEvidence(i, copies.FirstOrDefault()?.Raw));
            }
        }

        return null;
    }

    private static string PyValue(OutputReading reading) =>
        Harness.PyValue.Show(Harness.PyValue.Get(reading.Raw, "value"));

    private static string Hint(StreamLabel label) => label switch
    {
        StreamLabel.Minority => $"; the sensor holds this level for a sustained share of its readings (at least {StreamRules.PatternShare:P0} of the reference), so it is a pattern to keep, not a spike",
        StreamLabel.Flat => "; a flat sensor's readings are real readings",
        _ => string.Empty,
    };
}
