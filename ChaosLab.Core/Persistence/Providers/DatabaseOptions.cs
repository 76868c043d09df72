namespace ChaosLab.Core.Persistence.Providers;

/// <summary>
/// Settings of the <c>ChaosLab:Database</c> section: which engine holds the store. SQLite (a file
/// in <see cref="ChaosLabOptions.DataDirectory"/>) needs nothing set up and suits one process;
/// PostgreSQL is the shared store of several replicas.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "ChaosLab:Database";

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><see cref="Sqlite"/> (the default) or <see cref="Postgres"/>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// The PostgreSQL connection string (Npgsql's keywords: <c>Host=db;Database=chaoslab;Username=chaoslab;Password=...</c>).
    /// Unused with SQLite, whose file is <see cref="ChaosLabOptions.DatabasePath"/>.
    /// </summary>
    public string? ConnectionString { get; set; }
}
