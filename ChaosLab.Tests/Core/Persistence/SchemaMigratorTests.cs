using System.Security.Cryptography;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

public sealed class SchemaMigratorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly SchemaMigrator _migrator = new(new ManualTimeProvider(Now));

    private SqliteFile Database => new(DatabasePath);

    private string DatabasePath => _directory.File("chaoslab.db");

    [Fact]
    public async Task MigrateAsync_NewDatabase_CreatesCurrentSchemaInWalMode()
    {
        var previous = await _migrator.MigrateAsync(DatabasePath);

        Assert.Equal(0, previous);
        Assert.Equal(SchemaHistory.CurrentVersion, await SchemaMigrator.ReadVersionAsync(DatabasePath));
        Assert.Equal("wal", await Database.ScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseWrittenByThisVersion_ReopensWithDataIntact()
    {
        await _migrator.MigrateAsync(DatabasePath);
        var written = new EpisodeEntity
        {
            Id = "ep-1",
            Suite = "tools",
            TaskId = "task2",
            Tier = "expert",
            ScenarioId = "E07",
            Seed = 4_294_967_296,
            Agent = "resilient",
            ClientKind = "ws",
            StartedAt = Now,
            EndedAt = Now.AddSeconds(3.25),
            Outcome = "correct",
            Score = 0.875,
        };
        await using (var services = BuildServices())
        {
            await services.GetRequiredService<EpisodeStore>().AddAsync(written);
        }

        SqliteConnection.ClearAllPools();
        var previous = await _migrator.MigrateAsync(DatabasePath);

        Assert.Equal(SchemaHistory.CurrentVersion, previous);
        await using (var services = BuildServices())
        {
            var store = services.GetRequiredService<EpisodeStore>();
            var read = await store.FindAsync("ep-1");
            Assert.NotNull(read);
            Assert.Equivalent(written, read, strict: true);
            Assert.Equal(1, await store.CountAsync());
        }
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromNewerVersion_RefusesAndLeavesFileUntouched()
    {
        await _migrator.MigrateAsync(DatabasePath);
        var newer = SchemaHistory.CurrentVersion + 1;
        await Database.ExecuteAsync($"INSERT INTO chaoslab_schema (version, description, applied_at) VALUES ({newer}, 'from the future', '2030-01-01')");
        await Database.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteConnection.ClearAllPools();
        var before = Hash(DatabasePath);

        var refusal = await Assert.ThrowsAsync<SchemaVersionException>(() => _migrator.MigrateAsync(DatabasePath));

        Assert.Contains($"schema version {newer}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("newer ChaosLab", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not modified", refusal.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(DatabasePath));
    }

    [Fact]
    public async Task MigrateAsync_SomeoneElsesDatabase_Refuses()
    {
        await Database.ExecuteAsync("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        SqliteConnection.ClearAllPools();

        var refusal = await Assert.ThrowsAsync<SchemaVersionException>(() => _migrator.MigrateAsync(DatabasePath));

        Assert.Contains("did not create", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("customers", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromPreviousVersion_AppliesOnlyNewStepsAndKeepsRows()
    {
        var v1 = new SchemaUpgrade(1, "notes", ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"]);
        var v2 = new SchemaUpgrade(2, "note tags", ["ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none'"]);
        await new SchemaMigrator([v1], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("INSERT INTO notes (body) VALUES ('kept')");

        var previous = await new SchemaMigrator([v1, v2], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(1, previous);
        Assert.Equal(2, await SchemaMigrator.ReadVersionAsync(DatabasePath));
        Assert.Equal("kept|none", await Database.ScalarAsync<string>("SELECT body || '|' || tag FROM notes"));
    }

    [Fact]
    public async Task MigrateAsync_FailingStep_RollsBackThatStepAndKeepsEarlierOnes()
    {
        var v1 = new SchemaUpgrade(1, "notes", ["CREATE TABLE notes (id INTEGER PRIMARY KEY)"]);
        var broken = new SchemaUpgrade(2, "broken", ["CREATE TABLE half (id INTEGER)", "THIS IS NOT SQL"]);

        await Assert.ThrowsAsync<SqliteException>(() => new SchemaMigrator([v1, broken], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath));

        Assert.Equal(1, await SchemaMigrator.ReadVersionAsync(DatabasePath));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
    }

    public void Dispose() => _directory.Dispose();

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
