using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.Core.Recording;

/// <summary>A recorded session over a real recorder and store (each engine), with no web host: what an evaluation runner in Core uses.</summary>
public sealed class RecordedSessionTests : IAsyncLifetime
{
    private readonly ToySuite _suite = new("toy", "toy-bot");
    private readonly EpisodeClaims _claims = new();
    private RecordingHarness _harness = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [StoreTheory]
    public async Task StepAsync_EpisodeEnds_RecordedWithAgentClientKindAndGrade(StoreProvider provider)
    {
        _harness = await RecordingHarness.StartAsync(provider: provider);
        await using var session = Open();

        var reset = await session.ResetAsync(_suite, new ResetOptions { ScenarioId = "T02", Seed = 9, EpisodeId = "ep-run" }, "runner", CancellationToken.None);
        var step = await SayDoneAsync(session);

        Assert.True(reset.Succeeded);
        Assert.True(step.Value!.Done);
        Assert.False(session.EpisodeRunning);
        // The final step returns only once the episode is durable: no waiting needed.
        var trajectory = (await _harness.Store.GetTrajectoryAsync("ep-run"))!;
        Assert.Equal(("runner", "eval", "T02", 9L, "correct"),
            (trajectory.Episode.Agent, trajectory.Episode.ClientKind, trajectory.Episode.ScenarioId, trajectory.Episode.Seed, trajectory.Episode.Outcome));
        Assert.Equal([0, 1], trajectory.Steps.Select(s => s.StepIndex));
    }

    [StoreTheory]
    public async Task ResetAsync_EpisodeIdHeldByAnotherOpenSession_RefusedAndTheHolderKeepsIt(StoreProvider provider)
    {
        _harness = await RecordingHarness.StartAsync(provider: provider);
        await using var holder = Open();
        await using var other = Open();
        await holder.ResetAsync(_suite, new ResetOptions { EpisodeId = "ep-taken" }, "a", CancellationToken.None);

        var refused = await other.ResetAsync(_suite, new ResetOptions { EpisodeId = "ep-taken" }, "b", CancellationToken.None);

        Assert.Equal("episode_id", Assert.Single(refused.Errors).Path);
        Assert.Null(other.Episode);
        Assert.True(_claims.IsClaimed("ep-taken"));
    }

    [StoreTheory]
    public async Task CloseAsync_EpisodeRunning_RecordedAbandonedWithTheReasonAndItsIdFreed(StoreProvider provider)
    {
        _harness = await RecordingHarness.StartAsync(provider: provider);
        var session = Open();
        await session.ResetAsync(_suite, new ResetOptions { EpisodeId = "ep-left" }, "a", CancellationToken.None);

        await session.CloseAsync("runner stopped");

        Assert.True(session.Closed);
        Assert.False(_claims.IsClaimed("ep-left"));
        var stored = await StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, "ep-left", t => t.Episode.Outcome is not null);
        Assert.Equal((EpisodeStore.AbandonedOutcome, "runner stopped"), (stored.Episode.Outcome, stored.Episode.AbandonReason));
        Assert.False((await SayDoneAsync(session)).Succeeded);
    }

    [StoreTheory]
    public async Task ResetAsync_EpisodeRunning_PreviousRecordedAbandonedAndItsIdFreed(StoreProvider provider)
    {
        _harness = await RecordingHarness.StartAsync(provider: provider);
        await using var session = Open();
        await session.ResetAsync(_suite, new ResetOptions { EpisodeId = "ep-first" }, "a", CancellationToken.None);

        await session.ResetAsync(_suite, new ResetOptions { EpisodeId = "ep-second" }, "a", CancellationToken.None);

        Assert.Equal("ep-second", session.Episode!.EpisodeId);
        Assert.False(_claims.IsClaimed("ep-first"));
        var first = await StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, "ep-first", t => t.Episode.Outcome is not null);
        Assert.Equal("reset before the episode ended", first.Episode.AbandonReason);
    }

    [Fact]
    public void CoreAssembly_References_NoAspNetCoreNoOpenTelemetryAndNoWeb()
    {
        var references = typeof(RecordedSession).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        // Core emits through System.Diagnostics only; the host chooses the exporters.
        Assert.DoesNotContain(references, name => name.StartsWith("OpenTelemetry", StringComparison.Ordinal));
        Assert.DoesNotContain("ChaosLab.Web", references);
    }

    private RecordedSession Open() => new(_suite, "eval", _harness.Recorder, _claims, TimeProvider.System, _harness.Metrics);

    private static async Task<EnvironmentResult<StepResult>> SayDoneAsync(RecordedSession session)
    {
        using var action = JsonDocument.Parse("""{"type":"submit_answer","answer":"done"}""");
        return await session.StepAsync(action.RootElement, CancellationToken.None);
    }
}
