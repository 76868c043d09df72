using ChaosLab.Core;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Runs;

/// <summary>
/// Runs written straight through <see cref="RunStore"/> on a real SQLite file, on a clock the test
/// moves: what the runs pages read, whoever played the runs (this process or a command line).
/// </summary>
public sealed class RunFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private ServiceProvider _services = null!;

    private RunFixture()
    {
    }

    public ManualTimeProvider Clock { get; } = new(Epoch);

    public RunStore Store => _services.GetRequiredService<RunStore>();

    public AgentTraceStore Traces => _services.GetRequiredService<AgentTraceStore>();

    public static async Task<RunFixture> StartAsync()
    {
        var fixture = new RunFixture();
        await new SchemaMigrator(fixture.Clock).MigrateAsync(fixture._directory.File("chaoslab.db"));
        fixture._services = new ServiceCollection()
            .AddSingleton<TimeProvider>(fixture.Clock)
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = fixture._directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        return fixture;
    }

    /// <summary>A queued run of <paramref name="items"/>.</summary>
    public async Task<RunSummary> CreateAsync(string name, IReadOnlyList<RunItemSpec> items, string harness = "h2+h3+h4+h5", string? ablationId = null, string? variant = null)
    {
        var run = await Store.CreateAsync(new NewRun(name, "naive", null, harness, "{}", "cli", ablationId, variant), items);
        Clock.Advance(TimeSpan.FromSeconds(1));
        return run;
    }

    /// <summary>Plays <paramref name="key"/> to a score as the runner does: claim, then complete (success when the score is 1).</summary>
    public async Task ScoreAsync(string runId, string key, double score, int steps = 3, IReadOnlyDictionary<string, int>? interventions = null)
    {
        await Store.ResumeAsync(runId);
        var episode = EpisodeOf(runId, key);
        Assert.True(await Store.StartItemAsync(runId, key, episode));
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await Store.CompleteItemAsync(runId, key, episode,
            new ItemResult(score >= 1 ? "correct" : "wrong", score, score >= 1, steps, interventions ?? new Dictionary<string, int>())));
    }

    public async Task FailAsync(string runId, string key, string error)
    {
        await Store.ResumeAsync(runId);
        var episode = EpisodeOf(runId, key);
        Assert.True(await Store.StartItemAsync(runId, key, episode));
        Assert.True(await Store.FailItemAsync(runId, key, episode, error));
    }

    public static string EpisodeOf(string runId, string key) => $"{runId[..8]}-{key.Replace('/', '-')}";

    /// <summary>Items on tools scenarios: (scenario, tier) pairs, seed 1, trial 1.</summary>
    public static IReadOnlyList<RunItemSpec> Items(params (string Scenario, string Tier)[] scenarios) =>
        [.. scenarios.Select(s => new RunItemSpec("tools", "task1", s.Tier, s.Scenario, 1, 1))];

    /// <summary>An agent trace with interventions at steps 1 and 2 and a long raw reply.</summary>
    public static StoredAgentTrace Trace(string rawReply = "{\"choices\": []}") => new(
        "local-qwen [h2+h4]",
        "qwen",
        "h2+h4",
        [new TracedMessage("system", "You are an agent."), new TracedMessage("user", "Find the population."), new TracedMessage("assistant", "", "[{\"name\":\"web_search\"}]")],
        [new ModelCall(1, 1, rawReply, 120, 1, 50, 10), new ModelCall(2, 2, "{\"choices\": [1]}", 80, 2, null, null)],
        [new TracedAction(1, "{\"type\":\"call_tool\"}", null)],
        [
            new HarnessIntervention(1, "h2", "tool name off by case", "Web_Search -> web_search"),
            new HarnessIntervention(2, "h4", "same failing call 3 times", "note: try another tool"),
            new HarnessIntervention(2, "h2", "arguments as a string", "parsed the string as JSON"),
        ],
        Finished: true,
        Error: null);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
