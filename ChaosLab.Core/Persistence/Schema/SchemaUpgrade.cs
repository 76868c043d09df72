using System.Data.Common;

namespace ChaosLab.Core.Persistence.Schema;

/// <summary>
/// One step of the store's schema history: the statements that turn version
/// <c>Version - 1</c> into <paramref name="Version"/>. Steps are never edited once released;
/// a change to the schema is a new step.
/// </summary>
/// <param name="ConvertAsync">
/// Runs after <paramref name="Statements"/>, in the same transaction, for conversions SQL cannot
/// express exactly (e.g. re-encoding rows in the format the code writes), on the connection of the
/// history's engine (SQLite's or PostgreSQL's).
/// </param>
public sealed record SchemaUpgrade(
    int Version,
    string Description,
    IReadOnlyList<string> Statements,
    Func<DbConnection, DbTransaction, CancellationToken, Task>? ConvertAsync = null);
