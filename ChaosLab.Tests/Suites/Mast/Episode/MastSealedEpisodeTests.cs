using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;
using static ChaosLab.Tests.Suites.Mast.Episode.MastTestKit;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>A sealed mast episode reveals no seed, answer key or fault decision to its agent while it runs.</summary>
public sealed class MastSealedEpisodeTests
{
    private const long Seed = 918_273_645_546;

    [Fact]
    public void SealedEpisode_Running_NoSeedAnswerKeyOrFaultLabelInWhatTheAgentSees()
    {
        var (session, reset) = Start(OnePerTier[2], Seed, EpisodeMode.Sealed);
        var seen = new System.Text.StringBuilder(reset.ToJsonString());
        var agent = Step(session, Call(MastTools.ReadPipeline)).Observation;
        seen.Append(agent.ToJsonString());
        var agentId = agent["result"]!["agents"]![0]!["id"]!.GetValue<string>();
        JsonObject[] actions =
        [
            Call(MastTools.ListIncidents),
            Call(MastTools.ReadTrace, new() { ["run_id"] = "incident#0" }),
            Call(MastTools.ReadAgentLog, new() { ["run_id"] = "incident#0", ["agent_id"] = agentId }),
            Call(MastTools.RunTrial, new() { ["config"] = new JsonObject { ["retry_max"] = 1 } }),
        ];
        foreach (var action in actions)
        {
            seen.Append(Step(session, action).Observation.ToJsonString());
        }

        var running = session.State;
        seen.Append(running.ToJsonString());
        var final = Step(session, Submit(new JsonObject { ["config"] = new JsonObject() }));
        var ended = session.State;

        var text = seen.ToString();
        Assert.Null(running["seed"]);
        Assert.Null(running["grade"]);
        Assert.DoesNotContain(Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"fault\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("answer_key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reference_fix", text, StringComparison.Ordinal);
        foreach (var kind in MastFaultKinds.All)
        {
            Assert.DoesNotContain(kind.Name, text, StringComparison.Ordinal);
        }

        Assert.Equal(Seed, ended["seed"]!.GetValue<long>());
        Assert.NotNull(ended["grade"]!["answer_key"]!["reference_fix"]);
        Assert.DoesNotContain("reference_fix", final.Observation.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StepRewards_Sealed_OnlyTheRefusedCallPenalty()
    {
        var (session, _) = Start(OnePerTier[0], Seed, EpisodeMode.Sealed);

        var rewards = new[]
        {
            Step(session, Call(MastTools.ListIncidents)),
            Step(session, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject() })),
            Step(session, Call(MastTools.ReadTrace, new() { ["run_id"] = "nowhere" })),
        }.Select(s => s.Reward).ToList();

        Assert.Equal([0, 0, MastScorer.RefusedCallPenalty], rewards);
    }
}
