using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Core.Persistence.Retention;

/// <summary>
/// How long practice episodes are kept (section <c>ChaosLab:Retention</c>). By default nothing is
/// pruned. Sealed episodes (the leaderboard's), running episodes and episodes a curriculum chose
/// the tier of are always kept.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = $"{ChaosLabOptions.SectionName}:Retention";

    /// <summary>Practice episodes that started more than this many days ago are pruned; null keeps them.</summary>
    [Range(1, 36_500)]
    public int? PracticeDays { get; set; }

    /// <summary>Only the newest this many practice episodes are kept; null keeps them all.</summary>
    [Range(0, int.MaxValue)]
    public int? PracticeEpisodes { get; set; }

    /// <summary>Episodes deleted per transaction: small, so the recorder never waits long for the write lock (SQLite) or the totals rows (PostgreSQL).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Free pages given back to the file system after each batch (SQLite's <c>PRAGMA incremental_vacuum</c>).
    /// Unused on PostgreSQL, whose autovacuum makes deleted rows' space reusable.
    /// </summary>
    [Range(1, 1_000_000)]
    public int VacuumPagesPerBatch { get; set; } = 1024;

    /// <summary>Pause between batches, so pruning a large backlog leaves room for the recorder.</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the store is checked once nothing is left to prune.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => PracticeDays is not null || PracticeEpisodes is not null;
}
