using System.Data.Common;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ChaosLab.Tests.Infrastructure.Postgres;

/// <summary>The engine a store test runs on.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// How a store test runs on both providers. Mark it <see cref="StoreTheoryAttribute"/> instead of
/// <c>[Fact]</c>, take a <see cref="StoreProvider"/> parameter and build its store with
/// <see cref="TestStore.CreateAsync"/>:
/// <code>
/// [StoreTheory]
/// public async Task SaveAsync_Twice_KeepsOne(StoreProvider provider)
/// {
///     await using var store = await TestStore.CreateAsync(provider, services => services.AddSingleton&lt;TimeProvider&gt;(clock));
///     var traces = store.Get&lt;AgentTraceStore&gt;();
///     ...
/// }
/// </code>
/// The test runs twice, <c>Method(provider: Sqlite)</c> and <c>Method(provider: Postgres)</c>; with
/// <see cref="StoreDataAttribute"/> rows (the provider parameter first, then the row's), once per provider
/// and row. When
/// PostgreSQL is not installed the second shows as skipped with the reason, unless
/// <c>CHAOSLAB_REQUIRE_POSTGRES=1</c> (CI), which runs it so that it fails. Filter one provider with
/// <c>--filter "DisplayName~Postgres"</c>. Tests of one engine's specifics stay <c>[Fact]</c> (SQLite:
/// upgrades of old files, query plans) or <see cref="PostgresFactAttribute"/>.
/// </summary>
public static class TestStores
{
    /// <summary>Why the PostgreSQL case is skipped, or null when it runs.</summary>
    public static string? PostgresSkipReason => SkipReason(PostgresServer.BinDirectory is not null, PostgresServer.Required);

    /// <summary>The rule of <see cref="PostgresSkipReason"/>: run when installed, or when required (and then fail if missing).</summary>
    internal static string? SkipReason(bool installed, bool required) => installed || required ? null : PostgresServer.MissingReason;
}

/// <summary>A store test run once per <see cref="StoreProvider"/>; see <see cref="TestStores"/>.</summary>
[XunitTestCaseDiscoverer("ChaosLab.Tests.Infrastructure.Postgres.StoreTheoryDiscoverer", "ChaosLab.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : FactAttribute;

/// <summary>
/// One row of arguments of a <see cref="StoreTheoryAttribute"/>, after its provider (xunit's own
/// InlineData belongs to theories, which cannot skip one provider's cases).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class StoreDataAttribute(params object?[] data) : Attribute
{
    public IReadOnlyList<object?> Data { get; } = data;
}

/// <summary>Makes the two cases of a <see cref="StoreTheoryAttribute"/>, the PostgreSQL one skipped when it must be.</summary>
public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var skipped = factAttribute.GetNamedArgument<string>(nameof(FactAttribute.Skip));
        var rows = testMethod.Method.GetCustomAttributes(typeof(StoreDataAttribute))
            .Select(row => ((IEnumerable<object?>?)row.GetConstructorArguments().Single() ?? [null]).ToArray())
            .DefaultIfEmpty<object?[]>([])
            .ToList();
        foreach (var provider in Enum.GetValues<StoreProvider>())
        {
            var skip = skipped ?? (provider == StoreProvider.Postgres ? TestStores.PostgresSkipReason : null);
            foreach (var row in rows)
            {
                object?[] arguments = [provider, .. row];
                yield return skip is null
                    ? new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod, arguments)
                    : new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, skip, arguments);
            }
        }
    }
}

/// <summary>
/// A migrated, empty store on one provider: a temporary data directory and, for PostgreSQL, a new
/// database on the test run's server; the persistence services over them. Disposing it disposes
/// every service provider it built and deletes the directory (the database dies with the server).
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Action<IServiceCollection>? _configure;
    private readonly List<ServiceProvider> _built = [];

    private TestStore(StoreProvider provider, string? connectionString, Action<IServiceCollection>? configure)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _configure = configure;
        Services = BuildServices();
    }

    public StoreProvider Provider { get; }

    /// <summary>The PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString { get; }

    public string DataDirectory => _directory.Path;

    /// <summary>The services the store was created with.</summary>
    public ServiceProvider Services { get; }

    public StoreDatabase Database => Get<StoreDatabase>();

    /// <param name="configure">Registers what the test needs beside the persistence services (applied after them, so it can replace e.g. the TimeProvider).</param>
    /// <param name="migrate">False leaves the database empty, without tables.</param>
    public static async Task<TestStore> CreateAsync(StoreProvider provider, Action<IServiceCollection>? configure = null, bool migrate = true)
    {
        var connectionString = provider == StoreProvider.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var store = new TestStore(provider, connectionString, configure);
        if (migrate)
        {
            await store.Database.MigrateAsync();
        }

        return store;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Another set of services on the same database, as a restarted process (or a second replica)
    /// would have. Disposed with the store.
    /// </summary>
    public ServiceProvider BuildServices()
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .Configure<DatabaseOptions>(options =>
            {
                options.Provider = Provider == StoreProvider.Postgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;
                options.ConnectionString = ConnectionString;
            });
        _configure?.Invoke(services);
        var built = services.BuildServiceProvider();
        _built.Add(built);
        return built;
    }

    /// <summary>Runs a statement on a raw connection of the store (SQL both engines understand).</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Every row of <paramref name="sql"/>, its columns formatted invariantly and joined by <c>|</c>
    /// (NULL is empty), so the same query reads the same on both engines.
    /// </summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string sql)
    {
        await using var connection = Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i =>
                reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var built in _built)
        {
            await built.DisposeAsync();
        }

        _directory.Dispose();
    }
}
