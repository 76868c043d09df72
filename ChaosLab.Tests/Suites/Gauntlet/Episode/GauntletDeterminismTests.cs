using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Tests.Core.Sandbox;
using static ChaosLab.Tests.Suites.Gauntlet.Episode.GauntletEpisodeKit;

namespace ChaosLab.Tests.Suites.Gauntlet.Episode;

/// <summary>
/// The same seed and actions give the same observations and the same recorded bytes, sandbox
/// runs included: no wall time of the harness or the sandbox reaches either.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class GauntletDeterminismTests
{
    private static readonly JsonObject[] Actions =
    [
        Call(GauntletTools.ReadSource),
        Code(GauntletTools.RunPython, "import time\nprint(sum(range(10)))\n"),
        Code(GauntletTools.RunExamples, "def double(values, state):\n    print('calls', len(values))\n    return {'values': [v * 2 for v in values if v is not None]}\n"),
        Code(GauntletTools.RunExamples, "def double(values, state):\n    while True:\n        pass\n"),
        Code(GauntletTools.SubmitCode, TinyPiece.Hardened),
    ];

    [SandboxFact]
    public async Task SameSeedSameActions_SameObservationsAndRecords()
    {
        var first = await PlayAsync(31);
        var second = await PlayAsync(31);
        var other = await PlayAsync(32);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    private static async Task<List<string>> PlayAsync(long seed)
    {
        var (session, observation) = Start(Scenario(), seed);
        using var _ = session;
        var trace = new List<string> { observation.ToJsonString() };
        foreach (var action in Actions)
        {
            var step = await StepAsync(session, action);
            trace.Add(step.Observation.ToJsonString());
            trace.Add(JsonSerializer.Serialize(step.Record));
            if (step.Grade is { } grade)
            {
                trace.Add(JsonSerializer.Serialize(grade));
            }
        }

        trace.Add(session.State.ToJsonString());
        return trace;
    }
}
