using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Storage;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Recording;

/// <summary>
/// The writer's side of the database: one connection owned by the single writer, prepared
/// statements reused across batches, one transaction per batch. Raw commands rather than a
/// <c>DbContext</c> because this is the hot path: no change tracking or model building per row.
/// After any failure the connection is dropped and the next write opens a fresh one.
/// </summary>
internal sealed class RecordingStore(string databasePath, TimeSpan busyTimeout, RecordingSynchronous synchronous) : IDisposable
{
    private const string InsertEpisodeSql = """
        INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent,
                              client_kind, mode, started_at, step_count, prompt)
        VALUES ($id, $suite, $task_id, $tier, $scenario_id, $scenario_version, $seed, $max_steps, $agent,
                $client_kind, $mode, $started_at, 0, $prompt)
        """;

    private const string InsertStepSql = """
        INSERT INTO steps (episode_id, step_index, body, fired_faults, reward, done, episode_time, wall_time_us)
        VALUES ($episode_id, $step_index, $body, $fired_faults, $reward, $done, $episode_time, $wall_time_us)
        """;

    private const string InsertFragmentSql =
        "INSERT INTO step_fragments (hash, text) VALUES ($hash, $text) ON CONFLICT DO NOTHING";

    private const string InsertFaultSql =
        "INSERT INTO episode_faults (episode_id, kind) VALUES ($episode_id, $kind) ON CONFLICT DO NOTHING";

    private const string UpdateStepCountSql =
        "UPDATE episodes SET step_count = $step_count WHERE id = $id AND step_count < $step_count";

    private const string FinishSql = """
        UPDATE episodes
        SET ended_at = $ended_at, outcome = $outcome, score = $score, success = $success, grade = $grade,
            final_reward = $final_reward, submission = $submission
        WHERE id = $id
        """;

    private const string AbandonSql = """
        UPDATE episodes SET ended_at = $ended_at, outcome = 'abandoned', abandon_reason = $reason
        WHERE id = $id AND ended_at IS NULL
        """;

    private SqliteConnection? _connection;
    private Commands? _commands;

    /// <summary>Writes <paramref name="count"/> items from <paramref name="start"/> in one transaction, or none of them.</summary>
    public void Write(IReadOnlyList<RecordingItem> items, int start, int count)
    {
        // SQLite keeps writing happily into a file that was deleted or moved away while open, and
        // everything written there is lost: check that the database is still where it belongs.
        if (!File.Exists(databasePath))
        {
            Reset();
            throw new IOException($"The database file '{databasePath}' is missing.");
        }

        try
        {
            var (connection, commands) = Open();
            using var transaction = connection.BeginTransaction();
            commands.Enlist(transaction);
            for (var i = start; i < start + count; i++)
            {
                commands.Apply(items[i]);
            }

            transaction.Commit();
        }
        catch
        {
            Reset();
            throw;
        }
    }

    public void Dispose() => Reset();

    private (SqliteConnection, Commands) Open()
    {
        if (_connection is not null && _commands is not null)
        {
            return (_connection, _commands);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            // Never create: an empty file without the schema would only fail differently.
            Mode = SqliteOpenMode.ReadWrite,
            // This connection is the writer's alone; a pooled handle could outlive a moved file.
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString());
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            // No automatic checkpoint inside this connection's commits: WalCheckpointer runs them
            // off the commit path, so a final step never waits behind one.
            pragma.CommandText = (synchronous == RecordingSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;")
                + "PRAGMA wal_autocheckpoint=0;";
            pragma.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        _commands = new Commands(connection);
        return (_connection, _commands);
    }

    private void Reset()
    {
        _commands?.Dispose();
        _commands = null;
        _connection?.Dispose();
        _connection = null;
    }

    private sealed class Commands : IDisposable
    {
        private readonly SqliteCommand _insertEpisode;
        private readonly SqliteCommand _insertStep;
        private readonly SqliteCommand _insertFault;
        private readonly SqliteCommand _updateStepCount;
        private readonly SqliteCommand _finish;
        private readonly SqliteCommand _abandon;
        private readonly SqliteCommand _insertFragment;

        /// <summary>Fragments known to be in the file: each is sent once per connection, not with every reset.</summary>
        private readonly HashSet<string> _storedFragments = new(StringComparer.Ordinal);
        private readonly List<StepFragment> _fragments = [];

        public Commands(SqliteConnection connection)
        {
            _insertEpisode = Create(connection, InsertEpisodeSql);
            _insertStep = Create(connection, InsertStepSql);
            _insertFault = Create(connection, InsertFaultSql);
            _updateStepCount = Create(connection, UpdateStepCountSql);
            _finish = Create(connection, FinishSql);
            _abandon = Create(connection, AbandonSql);
            _insertFragment = Create(connection, InsertFragmentSql);
        }

        private IEnumerable<SqliteCommand> All => [_insertEpisode, _insertStep, _insertFault, _updateStepCount, _finish, _abandon, _insertFragment];

        public void Enlist(SqliteTransaction transaction)
        {
            foreach (var command in All)
            {
                command.Transaction = transaction;
            }
        }

        public void Apply(RecordingItem item)
        {
            switch (item)
            {
                case EpisodeStartItem start:
                    InsertEpisode(start.Episode);
                    InsertStep(start.Reset);
                    InsertFaults(start.EpisodeId, start.FiredFaultKinds);
                    break;
                case StepItem step:
                    InsertStep(step.Step);
                    InsertFaults(step.EpisodeId, step.FiredFaultKinds);
                    Execute(_updateStepCount, ("$id", step.EpisodeId), ("$step_count", step.Step.StepIndex));
                    if (step.Finish is { } finish)
                    {
                        Execute(_finish,
                            ("$id", step.EpisodeId),
                            ("$ended_at", finish.EndedAt.ToUnixTimeMilliseconds()),
                            ("$outcome", finish.Outcome),
                            ("$score", finish.Score),
                            ("$success", finish.Success),
                            ("$grade", StoredGrade.Encode(finish.GradeJson)),
                            ("$final_reward", finish.FinalReward),
                            ("$submission", finish.Submission));
                    }

                    break;
                case EpisodeAbandonItem abandon:
                    Execute(_abandon,
                        ("$id", abandon.EpisodeId),
                        ("$ended_at", abandon.EndedAt.ToUnixTimeMilliseconds()),
                        ("$reason", abandon.Reason));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "Unknown recording item.");
            }
        }

        public void Dispose()
        {
            foreach (var command in All)
            {
                command.Dispose();
            }
        }

        private void InsertEpisode(EpisodeEntity episode) => Execute(_insertEpisode,
            ("$id", episode.Id),
            ("$suite", episode.Suite),
            ("$task_id", episode.TaskId),
            ("$tier", episode.Tier),
            ("$scenario_id", episode.ScenarioId),
            ("$scenario_version", episode.ScenarioVersion),
            ("$seed", episode.Seed),
            ("$max_steps", episode.MaxSteps),
            ("$agent", episode.Agent),
            ("$client_kind", episode.ClientKind),
            ("$mode", episode.Mode),
            ("$started_at", episode.StartedAt.ToUnixTimeMilliseconds()),
            ("$prompt", episode.Prompt));

        private void InsertStep(RecordedStep step)
        {
            _fragments.Clear();
            var body = StepBody.Encode(step.StepIndex, new StepText(
                step.ActionJson, step.ObservationJson, step.CleanResult, step.DeliveredResult,
                step.FaultsJson, step.RewardComponentsJson, step.Error), _fragments);
            foreach (var fragment in _fragments)
            {
                // A rolled-back batch forgets nothing here wrongly: a failure drops this connection
                // and with it the set, so the next connection sends every fragment again.
                if (_storedFragments.Add(fragment.Hash))
                {
                    Execute(_insertFragment, ("$hash", fragment.Hash), ("$text", fragment.Text));
                }
            }

            Execute(_insertStep,
                ("$episode_id", step.EpisodeId),
                ("$step_index", step.StepIndex),
                ("$body", body),
                ("$fired_faults", FiredFaultKinds.FromDecisions(step.FaultsJson)),
                ("$reward", step.Reward),
                ("$done", step.Done),
                ("$episode_time", step.EpisodeTime.ToUnixTimeMilliseconds()),
                ("$wall_time_us", step.WallTimeUs));
        }

        private void InsertFaults(string episodeId, IReadOnlyList<string> kinds)
        {
            foreach (var kind in kinds)
            {
                Execute(_insertFault, ("$episode_id", episodeId), ("$kind", kind));
            }
        }

        private static SqliteCommand Create(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        private static void Execute(SqliteCommand command, params ReadOnlySpan<(string Name, object? Value)> parameters)
        {
            command.Parameters.Clear();
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            command.ExecuteNonQuery();
        }
    }
}
