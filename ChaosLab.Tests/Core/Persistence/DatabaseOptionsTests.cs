using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary><c>ChaosLab:Database</c>: which engine the store runs on, and the settings refused at start-up.</summary>
public sealed class DatabaseOptionsTests
{
    [Fact]
    public void StoreDatabase_NothingConfigured_IsTheSqliteFileInTheDataDirectory()
    {
        using var directory = new TempDirectory();
        using var services = Services(directory, new DatabaseOptions());

        var database = services.GetRequiredService<StoreDatabase>();

        Assert.IsType<SqliteStoreDatabase>(database);
        Assert.Equal(Path.Combine(directory.Path, "chaoslab.db"), database.Location);
    }

    [Fact]
    public void StoreDatabase_Postgres_IsThePostgresDatabaseNamedWithoutItsPassword()
    {
        using var directory = new TempDirectory();
        using var services = Services(directory, new DatabaseOptions
        {
            Provider = DatabaseOptions.Postgres,
            ConnectionString = "Host=db;Port=5433;Database=lab;Username=u;Password=secret",
        });

        var database = services.GetRequiredService<StoreDatabase>();

        Assert.IsType<PostgresStoreDatabase>(database);
        Assert.Equal(("db:5433/lab", true), (database.Location, database.IsPostgres));
    }

    [Theory]
    [InlineData("mysql", null, "ChaosLab:Database:Provider is 'mysql'; it must be 'sqlite' (the default, a file in the data directory) or 'postgres'.")]
    [InlineData("Postgres", "Host=db", "ChaosLab:Database:Provider is 'Postgres'; it must be")]
    [InlineData("postgres", null, "ChaosLab:Database:Provider is 'postgres' but ChaosLab:Database:ConnectionString is not set")]
    [InlineData("postgres", " ", "ChaosLab:Database:ConnectionString is not set")]
    [InlineData("postgres", "Host=db;Colour=blue", "ChaosLab:Database:ConnectionString is not a PostgreSQL connection string")]
    public void StoreDatabase_InvalidSettings_RefusedWithWhatToSet(string provider, string? connectionString, string expected)
    {
        using var directory = new TempDirectory();
        using var services = Services(directory, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<StoreDatabase>());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_UnknownProvider_RefusesToStartSayingTheValidValues()
    {
        var error = Assert.ThrowsAny<Exception>(() => new DatabaseSettingsFactory(new Dictionary<string, string> { ["ChaosLab:Database:Provider"] = "oracle" }));

        Assert.Contains("ChaosLab:Database:Provider is 'oracle'; it must be 'sqlite'", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_PostgresWithoutConnectionString_RefusesToStartSayingSo()
    {
        var error = Assert.ThrowsAny<Exception>(() => new DatabaseSettingsFactory(new Dictionary<string, string> { ["ChaosLab:Database:Provider"] = "postgres" }));

        Assert.Contains("ChaosLab:Database:ConnectionString is not set", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.Message + (error.InnerException is { } inner ? " | " + Flatten(inner) : "");

    private static ServiceProvider Services(TempDirectory directory, DatabaseOptions database) => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = directory.Path }))
        .AddChaosLabPersistence()
        .Configure<DatabaseOptions>(options => (options.Provider, options.ConnectionString) = (database.Provider, database.ConnectionString))
        .BuildServiceProvider();

    private sealed class DatabaseSettingsFactory(IReadOnlyDictionary<string, string> settings) : ChaosLabAppFactory(settings);
}
