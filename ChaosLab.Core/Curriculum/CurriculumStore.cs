using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Curriculum;

/// <summary>
/// Curricula in the store, and the one thing a reset asks of them: the tier of the next episode.
/// The only state kept is each curriculum's current tier; its rolling success is read from the
/// recorded outcomes of the episodes it chose tiers for, so it is durable across connections and
/// restarts by construction. A decision and the move it makes commit together, guarded by the
/// tier it was computed from: of two resets deciding at once, the second sees the tier moved,
/// decides again from the new tier, and both episodes get a valid tier.
/// </summary>
public sealed class CurriculumStore(IDbContextFactory<ChaosLabDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Most decisions <see cref="FindAsync"/> returns (the newest); the counts cover all.</summary>
    public const int MaxProgressSteps = 2_000;

    /// <summary>
    /// Decides the tier of episode <paramref name="episodeId"/> for curriculum <paramref name="name"/>
    /// (created on first use, bound to <paramref name="suite"/>) and records the decision.
    /// Refused when the suite has no tiers, the curriculum trains another suite, or the episode
    /// id already has a decision.
    /// </summary>
    public async Task<EnvironmentResult<CurriculumDecision>> ChooseTierAsync(string name, ISuite suite, string episodeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (suite.Tiers.Count == 0)
        {
            return EnvironmentResult<CurriculumDecision>.Invalid(new ValidationError(
                "curriculum", $"Suite '{suite.Name}' has no tiers, so a curriculum has nothing to move through."));
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var curriculum = await GetOrCreateAsync(context, name, suite, cancellationToken);
        if (curriculum.Suite != suite.Name)
        {
            return EnvironmentResult<CurriculumDecision>.Invalid(new ValidationError(
                "curriculum", $"Curriculum '{name}' trains on suite '{curriculum.Suite}'; reset with that suite, or name a new curriculum."));
        }

        var rules = ReadRules(curriculum.RulesJson);
        if (rules.Problems() is { Count: > 0 } problems)
        {
            // Only an edit of the stored rules can get here; say what is wrong with them.
            return EnvironmentResult<CurriculumDecision>.Invalid(new ValidationError(
                "curriculum", $"Curriculum '{name}' has unusable rules: {string.Join("; ", problems)}."));
        }

        var tier = curriculum.CurrentTier;
        // Tiers only move up, so a decision can lose the race at most once per tier.
        for (var attempt = 0; attempt <= rules.Tiers.Count; attempt++)
        {
            var recent = await RecentOutcomesAsync(context, name, tier, rules.Window, cancellationToken);
            var decision = CurriculumPolicy.Decide(rules, tier, recent);
            switch (await TryCommitAsync(context, name, decision, episodeId, cancellationToken))
            {
                case Commit.Done:
                    return EnvironmentResult<CurriculumDecision>.Success(decision);
                case Commit.EpisodeTaken:
                    return EnvironmentResult<CurriculumDecision>.Invalid(new ValidationError(
                        "episode_id", $"Episode id '{episodeId}' is already taken; pick another or omit it to get a fresh one."));
                case Commit.TierMoved:
                    tier = await context.Curricula.AsNoTracking().Where(c => c.Name == name).Select(c => c.CurrentTier).SingleAsync(cancellationToken);
                    break;
            }
        }

        throw new InvalidOperationException($"Curriculum '{name}' kept moving while deciding; its tier can only rise {rules.Tiers.Count - 1} times.");
    }

    /// <summary>Every curriculum with its current window, most recently updated first.</summary>
    public async Task<IReadOnlyList<CurriculumState>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var curricula = await context.Curricula.AsNoTracking().OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Name).ToListAsync(cancellationToken);
        var states = new List<CurriculumState>(curricula.Count);
        foreach (var curriculum in curricula)
        {
            states.Add(await StateAsync(context, curriculum, cancellationToken));
        }

        return states;
    }

    /// <summary>One curriculum and its decisions in order (the newest <see cref="MaxProgressSteps"/>), or null.</summary>
    public async Task<CurriculumProgress?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var curriculum = await context.Curricula.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (curriculum is null)
        {
            return null;
        }

        var steps = await (
            from d in context.CurriculumEpisodes
            where d.Curriculum == name
            join e in context.Episodes on d.EpisodeId equals e.Id into recorded
            from e in recorded.DefaultIfEmpty()
            orderby d.Sequence descending
            select new CurriculumStep(d.Sequence, d.EpisodeId, d.Tier, d.Advanced, d.WindowEpisodes, d.WindowSuccesses, d.Reason, d.DecidedAt,
                e == null ? null : e.Outcome, e == null ? null : e.Score))
            .Take(MaxProgressSteps)
            .ToListAsync(cancellationToken);
        steps.Reverse();
        return new CurriculumProgress(await StateAsync(context, curriculum, cancellationToken), steps);
    }

    private async Task<CurriculumEntity> GetOrCreateAsync(ChaosLabDbContext context, string name, ISuite suite, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var rules = JsonSerializer.Serialize(CurriculumRules.Default(suite.Tiers), CoreJsonContext.Default.CurriculumRules);
        // Two first resets of one name at once: one inserts, both read the same row.
        await context.Database.ExecuteSqlAsync($"""
            INSERT INTO curricula (name, suite, rules_json, current_tier, created_at, updated_at)
            VALUES ({name}, {suite.Name}, {rules}, {suite.Tiers[0]}, {now}, {now})
            ON CONFLICT (name) DO NOTHING
            """, cancellationToken);
        return await context.Curricula.AsNoTracking().SingleAsync(c => c.Name == name, cancellationToken);
    }

    /// <summary>Success of each graded episode played at <paramref name="tier"/>, newest decision first.</summary>
    private static async Task<IReadOnlyList<bool>> RecentOutcomesAsync(ChaosLabDbContext context, string name, string tier, int window, CancellationToken cancellationToken) =>
        await (
            from d in context.CurriculumEpisodes
            where d.Curriculum == name && d.Tier == tier
            join e in context.Episodes on d.EpisodeId equals e.Id
            where e.Outcome != null && e.Outcome != EpisodeStore.AbandonedOutcome && e.Score != null
            orderby d.Sequence descending
            select e.Success == true)
            .Take(window)
            .ToListAsync(cancellationToken);

    private async Task<Commit> TryCommitAsync(ChaosLabDbContext context, string name, CurriculumDecision decision, string episodeId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        // Writing first takes SQLite's write lock before anything is read, so the sequence
        // below cannot be read by two deciders at once; the guard on the tier catches a
        // decision computed from a tier that has moved since.
        var unchanged = await context.Database.ExecuteSqlAsync($"""
            UPDATE curricula SET current_tier = {decision.Tier}, updated_at = {now}
            WHERE name = {name} AND current_tier = {decision.FromTier}
            """, cancellationToken);
        if (unchanged == 0)
        {
            return Commit.TierMoved;
        }

        var inserted = await context.Database.ExecuteSqlAsync($"""
            INSERT INTO curriculum_episodes (episode_id, curriculum, sequence, tier, advanced, window_episodes, window_successes, reason, decided_at)
            SELECT {episodeId}, {name}, COALESCE(MAX(sequence), 0) + 1, {decision.Tier}, {decision.Advanced}, {decision.WindowEpisodes},
                   {decision.WindowSuccesses}, {decision.Reason}, {now}
            FROM curriculum_episodes WHERE curriculum = {name}
            ON CONFLICT (episode_id) DO NOTHING
            """, cancellationToken);
        if (inserted == 0)
        {
            return Commit.EpisodeTaken;
        }

        await transaction.CommitAsync(cancellationToken);
        return Commit.Done;
    }

    private static async Task<CurriculumState> StateAsync(ChaosLabDbContext context, CurriculumEntity curriculum, CancellationToken cancellationToken)
    {
        var rules = ReadRules(curriculum.RulesJson);
        var recent = await RecentOutcomesAsync(context, curriculum.Name, curriculum.CurrentTier, rules.Window, cancellationToken);
        var decisions = await context.CurriculumEpisodes.CountAsync(d => d.Curriculum == curriculum.Name, cancellationToken);
        var last = await context.CurriculumEpisodes.AsNoTracking()
            .Where(d => d.Curriculum == curriculum.Name)
            .OrderByDescending(d => d.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        return new CurriculumState(
            curriculum.Name, curriculum.Suite, curriculum.CurrentTier, rules, curriculum.CreatedAt, curriculum.UpdatedAt,
            decisions, recent.Count, recent.Count(s => s), last?.Reason);
    }

    private static CurriculumRules ReadRules(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.CurriculumRules)
        ?? throw new InvalidDataException("A curriculum's rules are stored as null.");

    private enum Commit
    {
        Done,
        TierMoved,
        EpisodeTaken,
    }
}

/// <summary>A curriculum as it stands: where it is and how its current window looks.</summary>
/// <param name="Episodes">Tier decisions made so far, one per episode started under the curriculum.</param>
/// <param name="WindowEpisodes">Graded episodes at the current tier in the rolling window.</param>
/// <param name="WindowSuccesses">Of those, the successes.</param>
/// <param name="LastReason">Why the newest decision chose its tier; null before the first.</param>
public sealed record CurriculumState(
    string Name,
    string Suite,
    string CurrentTier,
    CurriculumRules Rules,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Episodes,
    int WindowEpisodes,
    int WindowSuccesses,
    string? LastReason)
{
    /// <summary>Share of successes in the window; null while it is empty.</summary>
    public double? WindowSuccessRate => WindowEpisodes == 0 ? null : (double)WindowSuccesses / WindowEpisodes;
}

/// <summary>A curriculum and its decisions, oldest first.</summary>
public sealed record CurriculumProgress(CurriculumState State, IReadOnlyList<CurriculumStep> Steps);

/// <summary>One decision and, once recorded, how its episode ended.</summary>
/// <param name="Outcome">Null while the episode is not recorded yet (or was never started).</param>
public sealed record CurriculumStep(
    int Sequence,
    string EpisodeId,
    string Tier,
    bool Advanced,
    int WindowEpisodes,
    int WindowSuccesses,
    string Reason,
    DateTimeOffset DecidedAt,
    string? Outcome,
    double? Score);
