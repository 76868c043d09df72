using System.Data;
using System.Data.Common;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Storage;

namespace ChaosLab.Core.Recording;

/// <summary>
/// The writer's side of the database: one connection owned by the single writer, one transaction
/// per batch. Raw commands rather than a <c>DbContext</c> because this is the hot path: no change
/// tracking or model building per row. In-process SQLite runs prepared statements one by one; a
/// server engine (PostgreSQL) gets the whole batch's statements in one round trip, so a batch
/// costs one exchange instead of one per row and holds its row locks (the shared totals every
/// replica updates) that much shorter. After any failure the connection is dropped and the next
/// write opens a fresh one. The SQL is the same on every engine; <see cref="WriterConnection"/>
/// holds what differs in connecting.
/// </summary>
/// <param name="timeout">How long one statement may wait (for a lock) before the batch counts as failed.</param>
internal sealed class RecordingStore(WriterConnection connector, TimeSpan timeout) : IDisposable
{
    private const string InsertEpisodeSql = """
        INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent,
                              client_kind, mode, started_at, step_count, prompt, replica)
        VALUES (@id, @suite, @task_id, @tier, @scenario_id, @scenario_version, @seed, @max_steps, @agent,
                @client_kind, @mode, @started_at, 0, @prompt, @replica)
        """;

    private const string InsertStepSql = """
        INSERT INTO steps (episode_id, step_index, body, fired_faults, reward, done, episode_time, wall_time_us)
        VALUES (@episode_id, @step_index, @body, @fired_faults, @reward, @done, @episode_time, @wall_time_us)
        """;

    private const string InsertFragmentSql =
        "INSERT INTO step_fragments (hash, text) VALUES (@hash, @text) ON CONFLICT DO NOTHING";

    private const string InsertFaultSql =
        "INSERT INTO episode_faults (episode_id, kind) VALUES (@episode_id, @kind) ON CONFLICT DO NOTHING";

    private const string UpdateStepCountSql =
        "UPDATE episodes SET step_count = @step_count WHERE id = @id AND step_count < @step_count";

    private const string FinishSql = """
        UPDATE episodes
        SET ended_at = @ended_at, outcome = @outcome, score = @score, success = @success, grade = @grade,
            final_reward = @final_reward, submission = @submission
        WHERE id = @id
        """;

    private const string AbandonSql = """
        UPDATE episodes SET ended_at = @ended_at, outcome = 'abandoned', abandon_reason = @reason
        WHERE id = @id AND ended_at IS NULL
        """;

    private DbConnection? _connection;
    private Commands? _commands;

    /// <summary>Writes <paramref name="count"/> items from <paramref name="start"/> in one transaction, or none of them.</summary>
    public void Write(IReadOnlyList<RecordingItem> items, int start, int count)
    {
        try
        {
            connector.EnsureReachable();
            var (connection, commands) = Open();
            using var transaction = connection.BeginTransaction();
            commands.Begin(transaction);
            for (var i = start; i < start + count; i++)
            {
                commands.Apply(items[i]);
            }

            commands.Flush();
            transaction.Commit();
        }
        catch
        {
            Reset();
            throw;
        }
    }

    public void Dispose() => Reset();

    private (DbConnection, Commands) Open()
    {
        if (_connection is not null && _commands is not null)
        {
            return (_connection, _commands);
        }

        var connection = connector.Open();
        try
        {
            _commands = new Commands(connection, (int)Math.Ceiling(timeout.TotalSeconds));
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
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
        private readonly Statement _insertEpisode;
        private readonly Statement _insertStep;
        private readonly Statement _insertFault;
        private readonly Statement _updateStepCount;
        private readonly Statement _finish;
        private readonly Statement _abandon;
        private readonly Statement _insertFragment;
        private readonly List<Statement> _all = [];
        private readonly DbConnection _connection;
        private readonly int _timeoutSeconds;
        private DbBatch? _batch;

        /// <summary>Fragments known to be in the store: each is sent once per connection, not with every reset.</summary>
        private readonly HashSet<string> _storedFragments = new(StringComparer.Ordinal);
        private readonly List<StepFragment> _fragments = [];

        public Commands(DbConnection connection, int timeoutSeconds)
        {
            _connection = connection;
            _timeoutSeconds = timeoutSeconds;
            try
            {
                Statement Prepare(string sql, params (string Name, DbType Type)[] parameters)
                {
                    Statement statement = connection.CanCreateBatch
                        ? new BatchedStatement(sql, parameters, () => _batch!)
                        : new PreparedStatement(connection, sql, timeoutSeconds, parameters);
                    _all.Add(statement);
                    return statement;
                }

                _insertEpisode = Prepare(InsertEpisodeSql,
                    ("@id", DbType.String), ("@suite", DbType.String), ("@task_id", DbType.String), ("@tier", DbType.String),
                    ("@scenario_id", DbType.String), ("@scenario_version", DbType.Int32), ("@seed", DbType.Int64), ("@max_steps", DbType.Int32),
                    ("@agent", DbType.String), ("@client_kind", DbType.String), ("@mode", DbType.String), ("@started_at", DbType.Int64),
                    ("@prompt", DbType.String), ("@replica", DbType.String));
                _insertStep = Prepare(InsertStepSql,
                    ("@episode_id", DbType.String), ("@step_index", DbType.Int32), ("@body", DbType.Binary), ("@fired_faults", DbType.String),
                    ("@reward", DbType.Double), ("@done", DbType.Boolean), ("@episode_time", DbType.Int64), ("@wall_time_us", DbType.Int64));
                _insertFault = Prepare(InsertFaultSql, ("@episode_id", DbType.String), ("@kind", DbType.String));
                _updateStepCount = Prepare(UpdateStepCountSql, ("@id", DbType.String), ("@step_count", DbType.Int32));
                _finish = Prepare(FinishSql,
                    ("@id", DbType.String), ("@ended_at", DbType.Int64), ("@outcome", DbType.String), ("@score", DbType.Double),
                    ("@success", DbType.Boolean), ("@grade", DbType.Binary), ("@final_reward", DbType.Double), ("@submission", DbType.String));
                _abandon = Prepare(AbandonSql, ("@id", DbType.String), ("@ended_at", DbType.Int64), ("@reason", DbType.String));
                _insertFragment = Prepare(InsertFragmentSql, ("@hash", DbType.String), ("@text", DbType.String));
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Starts a batch inside <paramref name="transaction"/>.</summary>
        public void Begin(DbTransaction transaction)
        {
            _batch?.Dispose();
            _batch = null;
            if (_connection.CanCreateBatch)
            {
                _batch = _connection.CreateBatch();
                _batch.Transaction = transaction;
                _batch.Timeout = _timeoutSeconds;
                return;
            }

            foreach (var statement in _all)
            {
                statement.Enlist(transaction);
            }
        }

        /// <summary>Sends what the batch still holds (a server engine's whole batch, in one round trip).</summary>
        public void Flush()
        {
            if (_batch is { BatchCommands.Count: > 0 } batch)
            {
                batch.ExecuteNonQuery();
            }

            _batch?.Dispose();
            _batch = null;
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
                    _updateStepCount.Execute(step.EpisodeId, step.Step.StepIndex);
                    if (step.Finish is { } finish)
                    {
                        _finish.Execute(
                            step.EpisodeId,
                            finish.EndedAt.ToUnixTimeMilliseconds(),
                            finish.Outcome,
                            finish.Score,
                            finish.Success,
                            StoredGrade.Encode(finish.GradeJson),
                            finish.FinalReward,
                            finish.Submission);
                    }

                    break;
                case EpisodeAbandonItem abandon:
                    _abandon.Execute(abandon.EpisodeId, abandon.EndedAt.ToUnixTimeMilliseconds(), abandon.Reason);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "Unknown recording item.");
            }
        }

        public void Dispose()
        {
            _batch?.Dispose();
            foreach (var statement in _all)
            {
                statement.Dispose();
            }
        }

        private void InsertEpisode(EpisodeEntity episode) => _insertEpisode.Execute(
            episode.Id,
            episode.Suite,
            episode.TaskId,
            episode.Tier,
            episode.ScenarioId,
            episode.ScenarioVersion,
            episode.Seed,
            episode.MaxSteps,
            episode.Agent,
            episode.ClientKind,
            episode.Mode,
            episode.StartedAt.ToUnixTimeMilliseconds(),
            episode.Prompt,
            episode.Replica);

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
                    _insertFragment.Execute(fragment.Hash, fragment.Text);
                }
            }

            _insertStep.Execute(
                step.EpisodeId,
                step.StepIndex,
                body,
                FiredFaultKinds.FromDecisions(step.FaultsJson),
                step.Reward,
                step.Done,
                step.EpisodeTime.ToUnixTimeMilliseconds(),
                step.WallTimeUs);
        }

        private void InsertFaults(string episodeId, IReadOnlyList<string> kinds)
        {
            foreach (var kind in kinds)
            {
                _insertFault.Execute(episodeId, kind);
            }
        }
    }

    /// <summary>One statement of the writer, given its parameter values in the order they were declared (null for NULL).</summary>
    private abstract class Statement : IDisposable
    {
        public virtual void Enlist(DbTransaction transaction)
        {
        }

        public abstract void Execute(params ReadOnlySpan<object?> values);

        public virtual void Dispose()
        {
        }
    }

    /// <summary>
    /// A prepared statement run at once: its parameters are created once, typed, and only their
    /// values change.
    /// </summary>
    private sealed class PreparedStatement : Statement
    {
        private readonly DbCommand _command;
        private readonly DbParameter[] _parameters;

        public PreparedStatement(DbConnection connection, string sql, int timeoutSeconds, (string Name, DbType Type)[] parameters)
        {
            _command = connection.CreateCommand();
            _command.CommandText = sql;
            _command.CommandTimeout = timeoutSeconds;
            _parameters = [.. parameters.Select(p => SqlDialect.Add(_command, p.Name, p.Type, null))];
            _command.Prepare();
        }

        public override void Enlist(DbTransaction transaction) => _command.Transaction = transaction;

        public override void Execute(params ReadOnlySpan<object?> values)
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].Value = values[i] ?? DBNull.Value;
            }

            _command.ExecuteNonQuery();
        }

        public override void Dispose()
        {
            _command.Dispose();
            base.Dispose();
        }
    }

    /// <summary>
    /// A statement added to the current batch, sent with the others at its end. Its parameters are
    /// typed (PostgreSQL cannot infer the type of a null).
    /// </summary>
    private sealed class BatchedStatement(string sql, (string Name, DbType Type)[] parameters, Func<DbBatch> batch) : Statement
    {
        public override void Execute(params ReadOnlySpan<object?> values)
        {
            var current = batch();
            var command = current.CreateBatchCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = parameters[i].Name;
                parameter.DbType = parameters[i].Type;
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            current.BatchCommands.Add(command);
        }
    }
}
