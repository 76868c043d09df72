using System.Text.Json;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// The agent's side of finished episodes: saved once an episode is over (so nothing of a running
/// sealed episode is ever in it), read by the replay and the trajectory export.
/// </summary>
public sealed class AgentTraceStore(IDbContextFactory<ChaosLabDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Saves the trace of <paramref name="episodeId"/>; a second save for one episode replaces the first.</summary>
    public async Task SaveAsync(string episodeId, string? runId, StoredAgentTrace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var json = JsonSerializer.Serialize(trace, CoreJsonContext.Default.StoredAgentTrace);
        var createdAt = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        // One statement, so two saves at once end with one of them, never a key violation.
        await context.Database.ExecuteSqlAsync($"""
            INSERT INTO agent_traces (episode_id, run_id, trace_json, created_at) VALUES ({episodeId}, {runId}, {json}, {createdAt})
            ON CONFLICT (episode_id) DO UPDATE SET run_id = excluded.run_id, trace_json = excluded.trace_json, created_at = excluded.created_at
            """, cancellationToken);
    }

    public async Task<StoredAgentTrace?> FindAsync(string episodeId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var json = await context.AgentTraces.AsNoTracking().Where(t => t.EpisodeId == episodeId).Select(t => t.TraceJson).SingleOrDefaultAsync(cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize(json, CoreJsonContext.Default.StoredAgentTrace);
    }
}

/// <summary>An <see cref="AgentEpisodeTrace"/> as stored, with who played.</summary>
/// <param name="Agent">The recorded agent name.</param>
/// <param name="Harness">The harness switches' label.</param>
public sealed record StoredAgentTrace(
    string Agent,
    string? Model,
    string Harness,
    IReadOnlyList<TracedMessage> Conversation,
    IReadOnlyList<ModelCall> ModelCalls,
    IReadOnlyList<TracedAction> Actions,
    IReadOnlyList<HarnessIntervention> Interventions,
    bool Finished,
    string? Error)
{
    public static StoredAgentTrace From(AgentEpisodeTrace trace, string agent, string? model, string harness)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new(agent, model, harness, [.. trace.Conversation], [.. trace.ModelCalls], [.. trace.Actions], [.. trace.Interventions], trace.Finished, trace.Error);
    }
}
