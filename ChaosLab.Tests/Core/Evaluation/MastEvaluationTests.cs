using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>The mast suite in an evaluation (served beside the tools suite): its reference agent scores as it does played directly.</summary>
public sealed class MastEvaluationTests
{
    [Fact]
    public async Task RunAsync_MastWarmupTier_EveryItemScoredAsDirectPlayOnItsSealedSeed()
    {
        var mast = new MastSuite();
        await using var bench = await EvaluationBench.StartAsync(new SuiteCatalog([new ToolsSuite(), mast]));
        var agentName = mast.ReferenceAgents[^1].Name;
        var run = await bench.CreateAsync($"""
            name: mast-eval
            agent: reference:{agentName}
            tasks: [{"{"} suite: mast, tiers: [{mast.Tiers[0]}] {"}"}]
            concurrency: 3
            """);

        var summary = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, summary.Total), (summary.Status, summary.Done));
        Assert.Equal(mast.Scenarios.Count(s => s.Tier == mast.Tiers[0] && !s.FixedAnswers), summary.Total);
        foreach (var item in await bench.Runs.ItemsAsync(run.Id))
        {
            using var session = mast.CreateSession();
            var options = new ResetOptions { ScenarioId = item.ScenarioId, Seed = TestGateway.SealedSeeds.ForEvaluation("mast-eval:test", item.ScenarioId, item.SeedIndex), Mode = EpisodeMode.Sealed };
            var final = await AgentRunner.RunAsync(mast.ReferenceAgents[^1].Create(), session, options);
            Assert.Equal((final!.Grade!.Score, final.Grade.Outcome), (item.Score!.Value, item.Outcome));
        }
    }
}
