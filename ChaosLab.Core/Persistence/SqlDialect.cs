using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// The few idioms the raw ADO.NET paths write differently on SQLite and PostgreSQL. Everything
/// else they send is the same SQL with <c>@name</c> parameters.
/// </summary>
internal abstract class SqlDialect
{
    private static readonly SqlDialect SqliteDialect = new Sqlite();
    private static readonly SqlDialect PostgresDialect = new Postgres();

    /// <summary>The dialect of the engine behind <paramref name="connection"/>.</summary>
    public static SqlDialect Of(DbConnection connection) => connection is NpgsqlConnection ? PostgresDialect : SqliteDialect;

    /// <summary>
    /// A condition "<paramref name="column"/> is one of the texts in list parameter <paramref name="parameter"/>"
    /// (one parameter however long the list), which <see cref="AddTextList"/> adds to the command.
    /// </summary>
    public abstract string InTextList(string column, string parameter);

    /// <summary>Adds the list parameter <see cref="InTextList"/> reads.</summary>
    public abstract DbParameter AddTextList(DbCommand command, string parameter, IReadOnlyCollection<string> values);

    /// <summary>Adds a text parameter; typed, so that a null compares as text on PostgreSQL too.</summary>
    public static DbParameter AddText(DbCommand command, string parameter, string? value) => Add(command, parameter, DbType.String, value);

    /// <summary>Adds a parameter of an explicit type (PostgreSQL cannot infer the type of an untyped null).</summary>
    public static DbParameter Add(DbCommand command, string parameter, DbType type, object? value)
    {
        var added = command.CreateParameter();
        added.ParameterName = parameter;
        added.DbType = type;
        added.Value = value ?? DBNull.Value;
        command.Parameters.Add(added);
        return added;
    }

    /// <summary>SQLite has no array type: the list travels as a JSON array, unpacked by <c>json_each</c>.</summary>
    private sealed class Sqlite : SqlDialect
    {
        public override string InTextList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

        public override DbParameter AddTextList(DbCommand command, string parameter, IReadOnlyCollection<string> values) =>
            AddText(command, parameter, JsonArray(values));

        private static string JsonArray(IReadOnlyCollection<string> values)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    private sealed class Postgres : SqlDialect
    {
        public override string InTextList(string column, string parameter) => $"{column} = ANY({parameter})";

        public override DbParameter AddTextList(DbCommand command, string parameter, IReadOnlyCollection<string> values)
        {
            var added = new NpgsqlParameter(parameter, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
            command.Parameters.Add(added);
            return added;
        }
    }
}
