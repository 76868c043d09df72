using System.Data;
using System.Data.Common;
using ChaosLab.Core.Persistence.Storage;

namespace ChaosLab.Core.Persistence.Schema;

/// <summary>
/// Stores released <see cref="BodyDictionary"/>s in <c>body_dictionaries</c>, the schema step that
/// introduces them being the point from which the build writes with them. Done in code because the
/// content is the embedded file. Installing again changes nothing; a stored dictionary whose bytes
/// differ from the build's is refused (the bodies written with it would not decode). The SQL is the
/// same on SQLite and PostgreSQL.
/// </summary>
internal static class BodyDictionaryInstallation
{
    public static Func<DbConnection, DbTransaction, CancellationToken, Task> Install(params BodyDictionary[] dictionaries) =>
        async (connection, transaction, cancellationToken) =>
        {
            foreach (var dictionary in dictionaries)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO body_dictionaries (id, name, content) VALUES (@id, @name, @content) ON CONFLICT DO NOTHING";
                AddParameter(insert, "@id", DbType.Int32, dictionary.Id);
                AddParameter(insert, "@name", DbType.String, dictionary.Name);
                AddParameter(insert, "@content", DbType.Binary, dictionary.Content);
                await insert.ExecuteNonQueryAsync(cancellationToken);

                await using var read = connection.CreateCommand();
                read.Transaction = transaction;
                read.CommandText = "SELECT content FROM body_dictionaries WHERE id = @id";
                AddParameter(read, "@id", DbType.Int32, dictionary.Id);
                if (await read.ExecuteScalarAsync(cancellationToken) is not byte[] stored || !stored.AsSpan().SequenceEqual(dictionary.Content))
                {
                    throw new InvalidDataException(
                        $"The database holds a compression dictionary {dictionary.Id} that differs from this build's '{dictionary.Name}': " +
                        "the bodies written with it would not decode. The database was not modified.");
                }
            }
        };

    private static void AddParameter(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
