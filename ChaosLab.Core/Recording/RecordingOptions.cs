namespace ChaosLab.Core.Recording;

/// <summary>Bounds of the <see cref="EpisodeRecorder"/>'s queue, batches, waits and retries.</summary>
public sealed class RecordingOptions
{
    /// <summary>
    /// Records (starts, steps, ends) waiting for the writer. When it is full, a step waits up to
    /// <see cref="MaxWait"/> for room while the store is healthy (back-pressure at disk speed);
    /// while the store is failing, or after that wait, the record is dropped with an error log
    /// and counted in <see cref="EpisodeRecorder.DroppedRecords"/> and in the health reason.
    /// </summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Most records committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// The longest a caller waits: for the final step to become durable, or for room in a full
    /// queue. After it the final step completes anyway and its episode stays queued for retry.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before retrying a failed write; doubles per failure up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one write waits for another process's lock before it counts as failed (SQLite's
    /// busy timeout; on PostgreSQL the timeout of each of the writer's statements).
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Group commit: how long running steps, which nobody waits for, wait for the records that
    /// follow before they are committed. A final step, whose reply waits until its episode is
    /// durable, and an episode's start are committed at once with whatever is waiting. Zero
    /// commits every batch as soon as it is read.
    /// </summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// SQLite: how soon after a commit the write-ahead log is checkpointed into the database, on a
    /// connection of its own (never inside a commit): at most one checkpoint per interval, so the
    /// log holds about this long of writes.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// What "durable" means for a committed episode on SQLite; see <see cref="RecordingSynchronous"/>.
    /// PostgreSQL's durability is the server's (<c>synchronous_commit</c>).
    /// </summary>
    public RecordingSynchronous Synchronous { get; set; } = RecordingSynchronous.Normal;
}

/// <summary>SQLite's <c>synchronous</c> setting for the recorder's writes (the database is in WAL mode).</summary>
public enum RecordingSynchronous
{
    /// <summary>
    /// A commit is in the write-ahead log before the final reply goes out: it survives a crash or
    /// kill of ChaosLab. An operating-system crash or power loss can lose the last commits. No
    /// fsync per commit (measured here: 0.02 ms per commit instead of 4 ms).
    /// </summary>
    Normal,

    /// <summary>Every commit is fsynced: survives power loss too, at one fsync per batch.</summary>
    Full,
}
