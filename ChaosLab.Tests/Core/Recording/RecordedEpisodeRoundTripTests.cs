using System.Text.Json;
using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.Core.Recording;

/// <summary>
/// The store keeps steps compressed, with the reset's tool list stored once: what is read back
/// must still be exactly what the session produced, character for character.
/// </summary>
public sealed class RecordedEpisodeRoundTripTests
{
    [Theory]
    [InlineData("resilient", "F01", 4L)]
    [InlineData("retrying", "F01", 5L)]
    [InlineData("naive", "F01", 6L)]
    public Task GetTrajectoryAsync_RecordedToolsEpisode_IsWhatTheSessionProduced(string agentName, string scenarioId, long seed) =>
        RoundTripAsync(StoreProvider.Sqlite, agentName, scenarioId, seed);

    [PostgresTheory]
    [InlineData("resilient", "F01", 4L)]
    [InlineData("retrying", "F01", 5L)]
    [InlineData("naive", "F01", 6L)]
    public Task GetTrajectoryAsync_RecordedToolsEpisodeOnPostgres_IsWhatTheSessionProduced(string agentName, string scenarioId, long seed) =>
        RoundTripAsync(StoreProvider.Postgres, agentName, scenarioId, seed);

    private static async Task RoundTripAsync(StoreProvider provider, string agentName, string scenarioId, long seed)
    {
        await using var harness = await RecordingHarness.StartAsync(provider: provider);
        var suite = new ToolsSuite();
        var agent = suite.ReferenceAgents.Single(a => a.Name == agentName).Create();
        var produced = new List<StepSnapshot>();
        await using (var session = new RecordedSession(suite, "eval", harness.Recorder, new EpisodeClaims(), TimeProvider.System, harness.Metrics))
        {
            var result = await session.ResetAsync(suite, new ResetOptions { ScenarioId = scenarioId, Seed = seed, EpisodeId = "round-trip" }, agentName, CancellationToken.None);
            produced.Add(StepSnapshot.Of(result.Value!));
            while (!result.Value!.Done)
            {
                using var action = JsonSerializer.SerializeToDocument(agent.NextAction(result.Value.Observation));
                result = await session.StepAsync(action.RootElement, CancellationToken.None);
                produced.Add(StepSnapshot.Of(result.Value!));
            }
        }

        var trajectory = await harness.Store.GetTrajectoryAsync("round-trip");

        Assert.NotNull(trajectory);
        Assert.Contains("\"tools\":[", trajectory.Steps[0].ObservationJson, StringComparison.Ordinal);
        Assert.Equal(produced, trajectory.Steps.Select(StepSnapshot.Of));
    }

    /// <summary>Every text the recorder serializes from a step, and the numbers stored beside them.</summary>
    private sealed record StepSnapshot(
        int Index, string? Action, string Observation, string? Clean, string? Delivered, string Faults, string Rewards, double Reward, bool Done, string? Error)
    {
        public static StepSnapshot Of(StepResult result) => new(
            result.Record.Index,
            result.Record.Action?.ToJsonString(),
            result.Observation.ToJsonString(),
            result.Record.CleanResult,
            result.Record.DeliveredResult,
            JsonSerializer.Serialize(result.Record.Faults, CoreJsonContext.Default.IReadOnlyListFaultDecision),
            JsonSerializer.Serialize(result.Record.RewardComponents, CoreJsonContext.Default.IReadOnlyListRewardComponent),
            result.Reward,
            result.Done,
            result.Record.Error);

        public static StepSnapshot Of(RecordedStep step) => new(
            step.StepIndex, step.ActionJson, step.ObservationJson, step.CleanResult, step.DeliveredResult, step.FaultsJson, step.RewardComponentsJson, step.Reward, step.Done, step.Error);
    }
}
