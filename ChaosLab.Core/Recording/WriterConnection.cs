using System.Data.Common;
using ChaosLab.Core.Persistence.Providers;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Recording;

/// <summary>How the recorder's writer connects to the store, which differs by engine.</summary>
internal abstract class WriterConnection
{
    public static WriterConnection For(StoreDatabase database, RecordingOptions options) => database is SqliteStoreDatabase sqlite
        ? new SqliteWriterConnection(sqlite.DatabasePath, options.BusyTimeout, options.Synchronous)
        : new PooledWriterConnection(database);

    /// <summary>Throws when the store is known to be unusable before anything is sent to it.</summary>
    public virtual void EnsureReachable()
    {
    }

    /// <summary>An open connection, set up for the writer's batches.</summary>
    public abstract DbConnection Open();

    /// <summary>
    /// SQLite: a connection of the writer's own (never pooled, never creating the file) with its
    /// durability and checkpoint settings.
    /// </summary>
    private sealed class SqliteWriterConnection(string databasePath, TimeSpan busyTimeout, RecordingSynchronous synchronous) : WriterConnection
    {
        public override void EnsureReachable()
        {
            // SQLite keeps writing happily into a file that was deleted or moved away while open, and
            // everything written there is lost: check that the database is still where it belongs.
            if (!File.Exists(databasePath))
            {
                throw new IOException($"The database file '{databasePath}' is missing.");
            }
        }

        public override DbConnection Open()
        {
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
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// A server engine (PostgreSQL): a connection from the database's pool, held across batches;
    /// after a failure it goes back to the pool, which discards it if it is broken.
    /// </summary>
    private sealed class PooledWriterConnection(StoreDatabase database) : WriterConnection
    {
        public override DbConnection Open()
        {
            var connection = database.CreateConnection();
            try
            {
                connection.Open();
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }
}
