using System.Text.Json;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Services;

/// <summary>
/// Plays each suite's reference agents over that suite's scenarios on N sealed seeds when the
/// store is empty at start-up. Episodes start through the same gateway as any client's (client
/// kind <c>eval</c>), one at a time, so serving is not starved.
/// They are sealed, as every evaluation run is, so they rank on the leaderboard; the seeds are
/// derived from the seal key per (scenario, index), the same for every agent, so two agents'
/// episodes still pair seed by seed in Compare.
/// </summary>
internal sealed partial class ReferenceEpisodeSeeder(
    EpisodeStore store,
    EnvironmentGateway gateway,
    SealedSeeds sealedSeeds,
    SeedingProgress progress,
    IOptions<SeedingOptions> options,
    ILogger<ReferenceEpisodeSeeder> logger) : BackgroundService
{
    /// <summary>Names the first-start evaluation in the derivation of its sealed seeds.</summary>
    private const string Evaluation = "reference-seeding";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            progress.Finish(SeedingState.Skipped, "Seeding is switched off (ChaosLab:Seeding:Enabled).");
            return;
        }

        try
        {
            if (await store.CountAsync(stoppingToken) > 0)
            {
                progress.Finish(SeedingState.Skipped, "The store already holds episodes.");
                return;
            }

            var plan = (
                from suite in gateway.Catalog.Suites
                from scenario in suite.Scenarios
                from index in Enumerable.Range(1, options.Value.SeedsPerScenario)
                let seed = sealedSeeds.ForEvaluation(Evaluation, scenario.Id, index)
                from agent in suite.ReferenceAgents
                select (suite, scenario, seed, agent)).ToList();
            progress.Start(plan.Count);
            LogStarted(logger, plan.Count);
            foreach (var (suite, scenario, seed, agent) in plan)
            {
                await PlayAsync(suite, scenario, seed, agent.Create(), stoppingToken);
                progress.Advance();
            }

            progress.Finish(SeedingState.Completed, $"{plan.Count} reference episodes recorded.");
            LogFinished(logger, plan.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            progress.Finish(SeedingState.Failed, "Stopped before seeding finished.");
        }
#pragma warning disable CA1031 // Seeding is a convenience: whatever fails, the server keeps serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex);
            progress.Finish(SeedingState.Failed, $"Seeding stopped: {ex.Message}");
        }
    }

    private async Task PlayAsync(ISuite suite, ScenarioDescriptor scenario, long seed, IAgent agent, CancellationToken cancellationToken)
    {
        // A scenario whose answers do not depend on the seed cannot be sealed: its reference
        // episodes are practice ones, shown apart from the ranking.
        var mode = scenario.FixedAnswers ? EpisodeMode.Practice : EpisodeMode.Sealed;
        var request = new ResetRequest(suite.Name, new ResetOptions { ScenarioId = scenario.Id, Seed = seed, Mode = mode }, agent.Name);
        var launch = await gateway.StartTrustedAsync(request, ClientKinds.Eval, cancellationToken);
        if (launch.Session is not { } session)
        {
            // At capacity, clients come first: this seed is skipped, not waited for.
            return;
        }

        try
        {
            var result = launch.Reset;
            while (result.Succeeded && !result.Value!.Done)
            {
                using var action = JsonSerializer.SerializeToDocument(agent.NextAction(result.Value.Observation), WebJsonContext.Default.JsonObject);
                result = await session.StepAsync(action.RootElement, cancellationToken);
            }
        }
        finally
        {
            await gateway.Sessions.CloseAsync(session, "seeding finished");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "First-start seeding: the store is empty, so the reference agents are playing {Count} episodes; the dashboard shows them as they arrive")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "First-start seeding finished: {Count} reference episodes recorded")]
    private static partial void LogFinished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Seeding the store with reference episodes failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
