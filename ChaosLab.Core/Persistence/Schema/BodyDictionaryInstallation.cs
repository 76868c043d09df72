using ChaosLab.Core.Persistence.Storage;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Persistence.Schema;

/// <summary>
/// Stores released <see cref="BodyDictionary"/>s in <c>body_dictionaries</c>, the schema step that
/// introduces them being the point from which the build writes with them. Done in code because the
/// content is the embedded file. Installing again changes nothing; a stored dictionary whose bytes
/// differ from the build's is refused (the bodies written with it would not decode).
/// </summary>
internal static class BodyDictionaryInstallation
{
    public static Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> Install(params BodyDictionary[] dictionaries) =>
        async (connection, transaction, cancellationToken) =>
        {
            foreach (var dictionary in dictionaries)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO body_dictionaries (id, name, content) VALUES ($id, $name, $content) ON CONFLICT DO NOTHING";
                insert.Parameters.AddWithValue("$id", dictionary.Id);
                insert.Parameters.AddWithValue("$name", dictionary.Name);
                insert.Parameters.AddWithValue("$content", dictionary.Content);
                await insert.ExecuteNonQueryAsync(cancellationToken);

                await using var read = connection.CreateCommand();
                read.Transaction = transaction;
                read.CommandText = "SELECT content FROM body_dictionaries WHERE id = $id";
                read.Parameters.AddWithValue("$id", dictionary.Id);
                if (await read.ExecuteScalarAsync(cancellationToken) is not byte[] stored || !stored.AsSpan().SequenceEqual(dictionary.Content))
                {
                    throw new InvalidDataException(
                        $"The database holds a compression dictionary {dictionary.Id} that differs from this build's '{dictionary.Name}': " +
                        "the bodies written with it would not decode. The database was not modified.");
                }
            }
        };
}
