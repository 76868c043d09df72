using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Core.Curriculum;

/// <summary>Curricula on a real store (SQLite and PostgreSQL): decisions, outcomes read from recorded episodes, restarts and races.</summary>
public sealed class CurriculumStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
    private static readonly ToolsSuite Suite = new();

    private readonly ManualTimeProvider _clock = new(Now);
    private TestStore? _store;
    private ServiceProvider _services = null!;
    private int _episodes;

    private CurriculumStore Store => _services.GetRequiredService<CurriculumStore>();

    private async Task StartAsync(StoreProvider provider)
    {
        _store = await TestStore.CreateAsync(provider, services => services.AddSingleton<TimeProvider>(_clock));
        _services = _store.Services;
    }

    [StoreTheory]
    public async Task ChooseTierAsync_FirstUse_CreatesCurriculumAtEasiestTierWithDefaultRules(StoreProvider provider)
    {
        await StartAsync(provider);
        var decision = await DecideAsync("run-a");

        Assert.Equal(("warmup", false), (decision.Tier, decision.Advanced));
        var state = (await Store.FindAsync("run-a"))!.State;
        Assert.Equal(("tools", "warmup", 1, CurriculumRules.DefaultWindow), (state.Suite, state.CurrentTier, state.Episodes, state.Rules.Window));
        Assert.Equal(CurriculumRules.Default(Suite.Tiers).Tiers, state.Rules.Tiers);
    }

    [StoreTheory]
    public async Task ChooseTierAsync_FiveCorrectEpisodesAtWarmup_NextIsBeginnerAndWindowStartsEmpty(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-b", "correct", "correct", "correct", "wrong", "correct");

        var decision = await DecideAsync("run-b");

        Assert.Equal(("beginner", true, 5, 4), (decision.Tier, decision.Advanced, decision.WindowEpisodes, decision.WindowSuccesses));
        var state = (await Store.FindAsync("run-b"))!.State;
        Assert.Equal(("beginner", 0, (double?)null), (state.CurrentTier, state.WindowEpisodes, state.WindowSuccessRate));
    }

    [StoreTheory]
    public async Task ChooseTierAsync_RunningAbandonedAndUnrecordedEpisodes_DoNotCount(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-c", "correct", "correct", "correct", "correct");
        await DecideAsync("run-c");                                       // never recorded
        var running = await DecideAsync("run-c", "run-c-running");
        await RecordAsync("run-c-running", outcome: null);
        await DecideAsync("run-c", "run-c-abandoned");
        await RecordAsync("run-c-abandoned", EpisodeStore.AbandonedOutcome);

        var decision = await DecideAsync("run-c");

        Assert.Equal("warmup", running.Tier);
        Assert.Equal(("warmup", 4), (decision.Tier, decision.WindowEpisodes));
    }

    [StoreTheory]
    public async Task ChooseTierAsync_NewServicesOnTheSameFile_ContinueWhereTheCurriculumWas(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-d", "correct", "correct", "correct", "correct", "correct");
        Assert.Equal("beginner", (await DecideAsync("run-d")).Tier);

        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _services = _store!.BuildServices();
        var decision = await DecideAsync("run-d");

        Assert.Equal(("beginner", false), (decision.Tier, decision.Advanced));
        Assert.Equal(7, (await Store.FindAsync("run-d"))!.State.Episodes);
    }

    [StoreTheory]
    public async Task ChooseTierAsync_TwentyResetsAtOnceWhenTheBarIsCleared_AllGetBeginnerOneMovesAndSequencesAreUnique(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-e", "correct", "correct", "correct", "correct", "correct");

        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => DecideAsync("run-e", $"race-{i}"))));

        Assert.All(decisions, d => Assert.Equal("beginner", d.Tier));
        Assert.Single(decisions, d => d.Advanced);
        var steps = (await Store.FindAsync("run-e"))!.Steps;
        Assert.Equal(Enumerable.Range(1, 25), steps.Select(s => s.Sequence));
        Assert.Equal("beginner", (await Store.FindAsync("run-e"))!.State.CurrentTier);
    }

    [StoreTheory]
    public async Task ChooseTierAsync_CurriculumOfAnotherSuite_RefusedNamingItsSuite(StoreProvider provider)
    {
        await StartAsync(provider);
        await DecideAsync("run-f");

        var result = await Store.ChooseTierAsync("run-f", new RenamedSuite("mast", ["easy", "hard"]), "other-suite-episode");

        var error = Assert.Single(result.Errors);
        Assert.Equal("curriculum", error.Path);
        Assert.Contains("trains on suite 'tools'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Store.FindAsync("run-f"))!.State.Episodes);
    }

    [StoreTheory]
    public async Task ChooseTierAsync_SuiteWithoutTiers_RefusedAndNothingCreated(StoreProvider provider)
    {
        await StartAsync(provider);
        var result = await Store.ChooseTierAsync("run-g", new RenamedSuite("flat", []), "flat-episode");

        Assert.Contains("has no tiers", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Null(await Store.FindAsync("run-g"));
    }

    [StoreTheory]
    public async Task ChooseTierAsync_EpisodeIdAlreadyDecided_RefusedAndTheCurriculumDoesNotMove(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-h", "correct", "correct", "correct", "correct", "correct");

        var result = await Store.ChooseTierAsync("run-h", Suite, "run-h-1");

        Assert.Equal("episode_id", Assert.Single(result.Errors).Path);
        var state = (await Store.FindAsync("run-h"))!.State;
        Assert.Equal(("warmup", 5), (state.CurrentTier, state.Episodes));
    }

    [StoreTheory]
    public async Task ListAsync_TwoCurricula_NewestUpdateFirstWithWindow(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-i", "correct", "wrong");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await DecideAsync("run-j");

        var list = await Store.ListAsync();

        Assert.Equal(["run-j", "run-i"], list.Select(c => c.Name));
        Assert.Equal((2, 1, 0.5), (list[1].WindowEpisodes, list[1].WindowSuccesses, list[1].WindowSuccessRate!.Value));
        Assert.StartsWith("stays at warmup", list[1].LastReason, StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task FindAsync_Decisions_OldestFirstWithTheirEpisodesOutcomes(StoreProvider provider)
    {
        await StartAsync(provider);
        await PlayAsync("run-k", "correct", "wrong");
        await DecideAsync("run-k", "run-k-open");

        var steps = (await Store.FindAsync("run-k"))!.Steps;

        Assert.Equal([("run-k-1", "correct"), ("run-k-2", "wrong"), ("run-k-open", null)], steps.Select(s => (s.EpisodeId, s.Outcome)));
        Assert.Equal(Now, steps[0].DecidedAt);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Decides and records one ended episode per outcome, as a client playing through the curriculum would.</summary>
    private async Task PlayAsync(string curriculum, params string[] outcomes)
    {
        for (var i = 0; i < outcomes.Length; i++)
        {
            var episodeId = $"{curriculum}-{i + 1}";
            await DecideAsync(curriculum, episodeId);
            await RecordAsync(episodeId, outcomes[i]);
        }
    }

    private async Task<CurriculumDecision> DecideAsync(string curriculum, string? episodeId = null)
    {
        var result = await Store.ChooseTierAsync(curriculum, Suite, episodeId ?? $"unrecorded-{Interlocked.Increment(ref _episodes)}");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value!;
    }

    /// <param name="outcome">Null for a running episode.</param>
    private Task RecordAsync(string episodeId, string? outcome) => _services.GetRequiredService<EpisodeStore>().AddAsync(new EpisodeEntity
    {
        Id = episodeId,
        Suite = "tools",
        TaskId = "task1",
        Tier = "warmup",
        ScenarioId = "W01",
        Agent = "trainer",
        ClientKind = "ws",
        StartedAt = Now,
        EndedAt = outcome is null ? null : Now,
        Outcome = outcome,
        Success = outcome is null or "abandoned" ? null : outcome == "correct",
        Score = outcome is null or EpisodeStore.AbandonedOutcome ? null : outcome == "correct" ? 1 : 0,
    });

    /// <summary>The tools suite under another name and ladder: the store only reads a suite's name and tiers.</summary>
    private sealed class RenamedSuite(string name, IReadOnlyList<string> tiers) : ISuite
    {
        public string Name => name;
        public string Description => Suite.Description;
        public IReadOnlyList<TaskDescriptor> Tasks => Suite.Tasks;
        public IReadOnlyList<string> Tiers => tiers;
        public IReadOnlyList<ScenarioDescriptor> Scenarios => Suite.Scenarios;
        public IReadOnlyList<ToolDescriptor> Tools => Suite.Tools;
        public IReadOnlyList<ChaosLab.Core.Faults.FaultKind> FaultKinds => Suite.FaultKinds;
        public IReadOnlyList<ChaosLab.Core.Agents.ReferenceAgent> ReferenceAgents => Suite.ReferenceAgents;
        public IReadOnlyList<ChaosLab.Core.Agents.ReferenceAgent> ExploitAgents => Suite.ExploitAgents;
        public SuiteSchemas Schemas => Suite.Schemas;
        public IEpisodeSession CreateSession() => Suite.CreateSession();
    }
}
