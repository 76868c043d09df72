using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Agents;
using ChaosLab.Tests.Core.Sandbox;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Suites.Gauntlet.Episode;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>An evaluation of the gauntlet, whose submissions are graded in the real sandbox.</summary>
[Collection(SandboxTestGroup.Name)]
public sealed class GauntletEvaluationTests
{
    [SandboxFact]
    public async Task RunAsync_Tier1FixOnEveryTierOfAPiece_ScoresOfPlayingEachSealedSeedDirectly()
    {
        var suite = new GauntletSuite(SharedSandbox.Instance, [TinyPiece.Instance]);
        await using var bench = await EvaluationBench.StartAsync(new SuiteCatalog([suite]));
        var run = await bench.CreateAsync($"""
            name: gauntlet-eval
            agent: reference:{GauntletAgents.Tier1Fix}
            tasks: [{"{"} suite: gauntlet {"}"}]
            concurrency: 2
            """);

        var summary = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, summary.Total, suite.Scenarios.Count(s => !s.FixedAnswers)), (summary.Status, summary.Done, summary.Total));
        foreach (var item in await bench.Runs.ItemsAsync(run.Id))
        {
            using var session = suite.CreateSession();
            var agent = suite.ReferenceAgents.Single(a => a.Name == GauntletAgents.Tier1Fix).Create();
            var options = new ResetOptions { ScenarioId = item.ScenarioId, Seed = TestGateway.SealedSeeds.ForEvaluation("gauntlet-eval:test", item.ScenarioId, item.SeedIndex), Mode = EpisodeMode.Sealed };
            var final = await AgentRunner.RunAsync(agent, session, options);
            Assert.Equal((final!.Grade!.Score, final.Grade.Outcome), (item.Score!.Value, item.Outcome));
        }
    }
}
