using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// What <c>publish</c> answers in a case, attempt by attempt. The harness serves the script to
/// whatever code runs, so the plan is laid out for code that meets the requirements (one
/// attempt per call while the sink is up, three while it is down); code that makes more or fewer
/// attempts meets the same answers in another order, and the checks judge it by what it met.
/// </summary>
internal static class StreamSinkScript
{
    public static DependencyScript Build(StreamCaseBuilder builder, DeterministicRandom random, int calls, int outageStart, int outageLength, int burstCall)
    {
        var perCall = Enumerable.Range(0, calls).Select(_ => 0).ToArray();
        if (builder.Injects(StreamFaultKinds.SinkOutage))
        {
            for (var k = outageStart; k < outageStart + outageLength; k++)
            {
                perCall[k] = StreamRules.MaxPublishAttempts;
            }

            builder.Record(StreamFaultKinds.SinkOutage, StreamCaseBuilder.Calls([.. Enumerable.Range(outageStart, outageLength)]),
                string.Create(CultureInfo.InvariantCulture, $"publish fails every attempt for {outageLength} calls") + (burstCall >= outageStart && burstCall < outageStart + outageLength && builder.Injects(StreamFaultKinds.Burst) ? ", the burst among them" : string.Empty),
                new() { ["from_call"] = StreamCaseBuilder.Format(outageStart), ["calls"] = StreamCaseBuilder.Format(outageLength) });
        }

        if (builder.Injects(StreamFaultKinds.SinkFlaky))
        {
            var healthy = Enumerable.Range(0, calls).Where(k => perCall[k] == 0).ToList();
            var flaky = random.Shuffle(healthy).Take(Math.Min(healthy.Count, random.Next(1, 3))).Order().ToList();
            foreach (var k in flaky)
            {
                perCall[k] = random.Next(1, StreamRules.MaxPublishAttempts);
            }

            builder.Record(StreamFaultKinds.SinkFlaky, StreamCaseBuilder.Calls(flaky), "publish fails the first attempt or two, then accepts",
                new() { ["failures"] = string.Join(",", flaky.Select(k => perCall[k])) });
        }

        var responses = new List<ScriptedResponse>();
        foreach (var failures in perCall)
        {
            for (var f = 0; f < failures; f++)
            {
                responses.Add(random.Next(0, 3) switch
                {
                    0 => ScriptedResponse.Raising("TransientError", "sink unavailable: 503 Service Unavailable"),
                    1 => ScriptedResponse.Raising("ConnectionError", "connection reset by peer"),
                    _ => ScriptedResponse.Raising("TimeoutError", "publish timed out after 5 s"),
                });
            }

            if (failures < StreamRules.MaxPublishAttempts)
            {
                responses.Add(Accepted);
            }
        }

        return new DependencyScript(responses, Accepted);
    }

    private static ScriptedResponse Accepted { get; } = ScriptedResponse.Returns(null);
}
