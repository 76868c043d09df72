using System.Data;
using System.Data.Common;
using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// The claim of a run's next item as one guarded update. On PostgreSQL the run's row is locked
/// first (a claimer of the same run waits its turn, others skip it) and the item is picked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so the concurrency count the update checks is never stale; on
/// SQLite the single writer serialises claims, and the same statement runs without the locks.
/// The item is picked by a scalar sub-select, evaluated once (PostgreSQL may re-run an
/// <c>IN (... LIMIT 1)</c> per row and claim several).
/// </summary>
internal static class ItemClaims
{
    private const string Claimable = $"""
        (i.status = '{RunItemStatus.Pending}' OR (i.status = '{RunItemStatus.Running}' AND (i.lease_expires_at IS NULL OR i.lease_expires_at <= @now)))
        """;

    private const string LeasedBelowConcurrency = $"""
        (SELECT COUNT(*) FROM eval_run_items l WHERE l.run_id = @run AND l.status = '{RunItemStatus.Running}' AND l.lease_expires_at > @now)
            < (SELECT r.concurrency FROM eval_runs r WHERE r.id = @run AND r.status = '{RunStatus.Running}')
        """;

    private const string LockRun = $"SELECT id FROM eval_runs WHERE id = @run AND status = '{RunStatus.Running}' FOR UPDATE SKIP LOCKED";

    /// <returns>The key of the item claimed, or null.</returns>
    public static async Task<string?> ClaimAsync(ChaosLabDbContext context, bool postgres, string runId, string? key, ItemLease lease, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        await context.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = postgres ? await connection.BeginTransactionAsync(cancellationToken) : null;
        if (postgres)
        {
            await using var lockRun = Command(connection, transaction, LockRun, runId, key, lease);
            if (await lockRun.ExecuteScalarAsync(cancellationToken) is null)
            {
                return null;
            }
        }

        await using var claim = Command(connection, transaction, Update(postgres ? "FOR UPDATE SKIP LOCKED" : ""), runId, key, lease);
        var claimed = await claim.ExecuteScalarAsync(cancellationToken) as string;
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return claimed;
    }

    private static string Update(string locking) => $"""
        UPDATE eval_run_items
        SET status = '{RunItemStatus.Running}', lease_owner = @owner, lease_expires_at = @expires, episode_id = @episode,
            attempts = attempts + 1, started_at = @now, error = NULL
        WHERE run_id = @run AND item_key = (
            SELECT i.item_key FROM eval_run_items i
            WHERE i.run_id = @run AND (@key IS NULL OR i.item_key = @key) AND {Claimable} AND {LeasedBelowConcurrency}
            ORDER BY i.sequence
            LIMIT 1
            {locking})
        RETURNING item_key
        """;

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, string runId, string? key, ItemLease lease)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        Add(command, "run", DbType.String, runId);
        Add(command, "key", DbType.String, key);
        Add(command, "owner", DbType.String, lease.Owner);
        Add(command, "episode", DbType.String, lease.EpisodeId);
        Add(command, "now", DbType.Int64, lease.Now.ToUnixTimeMilliseconds());
        Add(command, "expires", DbType.Int64, lease.ExpiresAt.ToUnixTimeMilliseconds());
        return command;
    }

    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        if (!command.CommandText.Contains("@" + name, StringComparison.Ordinal))
        {
            return;
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
