using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Tests.Core.Sandbox;
using static ChaosLab.Tests.Suites.Gauntlet.Episode.GauntletEpisodeKit;

namespace ChaosLab.Tests.Suites.Gauntlet.Episode;

[Collection(SandboxTestGroup.Name)]
public sealed class GauntletSealedEpisodeTests
{
    private const long Seed = 987_654_321_123;

    /// <summary>
    /// While a sealed episode runs, nothing the agent can read holds the seed, a hidden case's
    /// inputs or a fault decision of the hidden draw: that draw is made at the submission.
    /// </summary>
    [SandboxFact]
    public async Task Sealed_WhileRunning_NoSeedNoHiddenCaseNoHiddenDecision()
    {
        var (session, reset) = Start(Scenario(), Seed, EpisodeMode.Sealed);
        using var _ = session;
        var seen = new List<string> { reset.ToJsonString() };
        foreach (var action in new[]
        {
            Call(GauntletTools.ReadSource),
            Call(GauntletTools.ReadRequirements),
            Code(GauntletTools.RunPython, "print('probe')"),
            Code(GauntletTools.RunExamples, TinyPiece.Original),
            Call("list_tools"),
        })
        {
            var step = await StepAsync(session, action);
            seen.Add(step.Observation.ToJsonString());
            Assert.DoesNotContain(step.Record.Faults, f => f.Target.StartsWith("case:h", StringComparison.Ordinal));
        }

        seen.Add(session.State.ToJsonString());
        var hidden = TinyPiece.Instance.Generate(new CaseDraw(Seed, CaseDraw.HiddenStream, GauntletDifficulty.ForTier(TinyPiece.Instance, "expert")));
        var text = string.Join("\n", seen);

        Assert.DoesNotContain(Seed.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Null(session.State["seed"]);
        Assert.Null(session.State["grade"]);
        Assert.All(hidden.Cases, c =>
        {
            Assert.DoesNotContain("\"case\":\"" + c.Id + "\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain(new JsonArray([.. c.Calls.Select(call => call?.DeepClone())]).ToJsonString(), text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Reset_NoSandbox_RefusedWithTheReason()
    {
        var suite = new GauntletSuite(new UnavailableSandbox(), [TinyPiece.Instance]);
        using var session = suite.CreateSession();

        var reset = session.Reset(new ResetOptions { ScenarioId = Scenario(), Seed = 1 });

        Assert.False(reset.Succeeded);
        Assert.Equal("suite", reset.Errors[0].Path);
        Assert.Contains("not available on this server: bubblewrap not installed", reset.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null(session.Episode);
    }

    private sealed class UnavailableSandbox : ICodeSandbox
    {
        public SandboxAvailability Availability { get; } = SandboxAvailability.NotAvailable("bubblewrap not installed");

        public Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("an unavailable sandbox is never asked to run code");
    }
}
