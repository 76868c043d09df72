using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ChaosLab.Core.Recording;

/// <summary>
/// Copies the write-ahead log back into the database off the commit path. The recorder's own
/// connection has SQLite's automatic checkpoint turned off, because that checkpoint runs inside
/// whichever commit crosses its threshold, with an fsync of the database, and a final step waiting
/// for that commit would wait for it too. Instead, after commits, this runs a PASSIVE checkpoint
/// on its own connection at most once per <see cref="RecordingOptions.CheckpointInterval"/>: it
/// takes no lock a writer waits for, and once it has caught up the next write starts the log over,
/// so the log stays about one interval of writes long.
/// </summary>
internal sealed partial class WalCheckpointer : IAsyncDisposable
{
    private readonly Channel<bool> _commits = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly string _databasePath;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public WalCheckpointer(string databasePath, TimeSpan interval, TimeProvider timeProvider, ILogger logger)
    {
        _databasePath = databasePath;
        _interval = interval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    /// <summary>Something was committed: a checkpoint is due within the interval.</summary>
    public void Committed() => _commits.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        _commits.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await _commits.Reader.WaitToReadAsync(stop))
            {
                // Commits that land during the wait are covered by this checkpoint.
                await Task.Delay(_interval, _timeProvider, stop);
                _commits.Reader.TryRead(out _);
                Checkpoint();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Closing the last connection checkpoints whatever is left.
        }
    }

    private void Checkpoint()
    {
        // A missing file is the writer's to report; opening it here would only fail differently.
        if (!File.Exists(_databasePath))
        {
            return;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = _databasePath,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            // The log keeps growing until a later checkpoint succeeds; nothing recorded is at risk.
            LogCheckpointFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the write-ahead log failed; retrying after the next commit")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
