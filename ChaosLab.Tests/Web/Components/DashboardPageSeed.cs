using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components;

/// <summary>A real SQLite episode store in a temporary directory with the analytics and compare pages' seed: alpha and beta on seed 1, alpha alone on seed 2.</summary>
internal sealed class DashboardPageSeed : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public ManualTimeProvider Clock { get; } = new(Now);

    /// <summary>The store's services for a page under test (the store itself stays unmigrated until <see cref="MigrateAsync"/>).</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }));
        services.AddChaosLabPersistence();
    }

    public Task MigrateAsync() => new SchemaMigrator(Clock).MigrateAsync(_directory.File("chaoslab.db"));

    public async Task SeedAsync()
    {
        await MigrateAsync();
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var store = services.GetRequiredService<EpisodeStore>();
        await store.AddAsync(Episode("a1", "alpha", 1, 0.5, "partial"));
        await store.AddAsync(Episode("a2", "alpha", 2, 1.0, "correct"));
        await store.AddAsync(Episode("b1", "beta", 1, 0.0, "wrong"));
        await store.AddAsync(Episode("b9", "beta", 9, null, "abandoned"));
        var context = await services.GetRequiredService<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();
        await using (context)
        {
            context.EpisodeFaults.Add(new EpisodeFaultEntity { EpisodeId = "a1", Kind = "timeout" });
            await context.SaveChangesAsync();
        }
    }

    /// <summary>
    /// Alpha and beta, both graded 0.5 (partial), on seeds 0 to <paramref name="seeds"/> - 1 of
    /// scenario E01 at <paramref name="tier"/>: enough seeds make more paired episodes than the
    /// comparison reads.
    /// </summary>
    public async Task SeedPairsAsync(int seeds, string tier)
    {
        await MigrateAsync();
        await new SqliteFile(_directory.File("chaoslab.db")).ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {seeds}),
            agents(agent) AS (VALUES ('alpha'), ('beta'))
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, success)
            SELECT agent || '-{tier}-' || i, 'tools', 'task1', '{tier}', 'E01', i, agent, 'ws', 'sealed',
                   {Now.ToUnixTimeMilliseconds()} + i, {Now.ToUnixTimeMilliseconds()} + i, 'partial', 0.5, 0
            FROM n, agents
            """);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A graded (or abandoned) sealed tools episode on scenario E01 that started <paramref name="minute"/> minutes after <see cref="Now"/>.</summary>
    public static EpisodeEntity Episode(string id, string agent, int minute, double? score, string outcome, string? prompt = null) => new()
    {
        Id = id,
        Mode = "sealed",
        Suite = "tools",
        TaskId = "task1",
        Tier = "easy",
        ScenarioId = "E01",
        Seed = minute,
        Agent = agent,
        ClientKind = "ws",
        StartedAt = Now.AddMinutes(minute),
        EndedAt = Now.AddMinutes(minute),
        Outcome = outcome,
        Success = outcome is null or "abandoned" ? null : outcome == "correct",
        Score = score,
        StepCount = minute + 2,
        Prompt = prompt,
    };
}
