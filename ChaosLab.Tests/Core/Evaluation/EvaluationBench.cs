using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;
using ChaosLab.Web.Services.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>
/// The evaluation runner over the real store (SQLite in a temp folder, or PostgreSQL), recorder and gateway,
/// without the web host; sealed seeds from the tests' fixed seal key, so every run is reproducible.
/// <see cref="RestartAsync"/> opens a second process's worth of services over the same database
/// (the same replica restarted); <see cref="AddReplicaAsync"/> another replica sharing it.
/// </summary>
public sealed class EvaluationBench : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<ServiceProvider> _providers = [];

    private EvaluationBench(SuiteCatalog catalog, int maxSessions, StoreProvider provider, string? connectionString)
    {
        Catalog = catalog;
        MaxSessions = maxSessions;
        Provider = provider;
        _connectionString = connectionString;
    }

    private readonly string? _connectionString;

    /// <summary>The engine of the store every replica of the bench shares.</summary>
    public StoreProvider Provider { get; }

    public SuiteCatalog Catalog { get; }

    /// <summary>The environment model profiles read their header variables from (never the process's).</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public int MaxSessions { get; }

    public string DataDirectory => _directory.Path;

    public ServiceProvider Services => _providers[^1];

    public RunStore Runs => Services.GetRequiredService<RunStore>();

    public AgentTraceStore Traces => Services.GetRequiredService<AgentTraceStore>();

    public EpisodeStore Episodes => Services.GetRequiredService<EpisodeStore>();

    public EnvironmentGateway Gateway { get; private set; } = null!;

    public EvaluationService Service { get; private set; } = null!;

    /// <param name="wrapEpisodes">Wraps the real episodes (to hold items mid-episode, say).</param>
    /// <param name="first">The first replica's settings (its id is <see cref="FirstReplica"/> unless given).</param>
    /// <param name="provider">The store's engine (SQLite in the bench's folder, or a fresh PostgreSQL database).</param>
    public static async Task<EvaluationBench> StartAsync(SuiteCatalog? catalog = null, int maxSessions = 64, Func<IEvaluationEpisodes, IEvaluationEpisodes>? wrapEpisodes = null, Replica? first = null, StoreProvider provider = StoreProvider.Sqlite)
    {
        var connectionString = provider == StoreProvider.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var bench = new EvaluationBench(catalog ?? new SuiteCatalog([new ToolsSuite()]), maxSessions, provider, connectionString);
        await bench.OpenAsync(first ?? new Replica(FirstReplica, wrapEpisodes), migrate: true);
        return bench;
    }

    /// <summary>The replica id of the first services (and of a restart).</summary>
    public const string FirstReplica = "replica-1";

    /// <summary>
    /// New services over the same database under the same replica id, as a restarted process would
    /// have; the old ones are left as they are (a killed process does not clean up).
    /// </summary>
    public async Task RestartAsync(Func<IEvaluationEpisodes, IEvaluationEpisodes>? wrapEpisodes = null, TimeProvider? evaluationClock = null)
    {
        await OpenAsync(new Replica(FirstReplica, wrapEpisodes, evaluationClock));
        await Episodes.AbandonInterruptedAsync(DateTimeOffset.UtcNow);
    }

    /// <summary>Another replica's services over the same database; <see cref="Service"/> is then its runner.</summary>
    public async Task<EvaluationService> AddReplicaAsync(Replica replica)
    {
        await OpenAsync(replica);
        return Service;
    }

    public Assignment Assignment(string yaml)
    {
        var parsed = AssignmentFile.Parse(yaml, DataDirectory);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return parsed.Value!;
    }

    public async Task<RunSummary> CreateAsync(string yaml, string origin = EvaluationService.OriginCli)
    {
        var created = await Service.CreateAsync(Assignment(yaml), origin);
        Assert.True(created.Succeeded, string.Join("\n", created.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return created.Value!;
    }

    public async ValueTask DisposeAsync()
    {
        // As a host stops: the runners first, while the store they write their last words to is
        // still there (a disposing provider resolves nothing, EF Core's contexts included).
        foreach (var provider in Enumerable.Reverse(_providers))
        {
            await provider.GetRequiredService<EvaluationService>().StopAllAsync();
        }

        foreach (var provider in Enumerable.Reverse(_providers))
        {
            await provider.DisposeAsync();
        }

        _directory.Dispose();
    }

    private async Task OpenAsync(Replica replica, bool migrate = false)
    {
        var wrapEpisodes = replica.WrapEpisodes;
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = DataDirectory, ReplicaId = replica.Id }))
            .AddSingleton(Options.Create(replica.Options ?? new EvaluationOptions()))
            .AddSingleton(Options.Create(new OpenEnvOptions { MaxSessions = MaxSessions, DefaultSuite = Catalog.Suites[0].Name }))
            .AddSingleton(Options.Create(new IntegrityOptions()))
            .AddSingleton(Catalog)
            .AddSingleton(TestGateway.SealedSeeds)
            .AddChaosLabPersistence()
            .Configure<DatabaseOptions>(options =>
            {
                options.Provider = Provider == StoreProvider.Postgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;
                options.ConnectionString = _connectionString;
            })
            .AddChaosLabRecording()
            .AddSingleton<AgentRegistry>()
            .AddSingleton<SessionRegistry>()
            .AddSingleton<EnvironmentGateway>()
            .AddSingleton<GatewayEvaluationEpisodes>()
            .AddSingleton<IEvaluationEpisodes>(provider => wrapEpisodes?.Invoke(provider.GetRequiredService<GatewayEvaluationEpisodes>()) ?? provider.GetRequiredService<GatewayEvaluationEpisodes>())
            .AddSingleton(provider => new EvaluationAgentFactory(Catalog, provider.GetRequiredService<AgentRegistry>(), TimeProvider.System, name => Environment.GetValueOrDefault(name)))
            .AddSingleton<RunOutputWriter>()
            .AddSingleton<TrajectoryExporter>()
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddSingleton(provider => ActivatorUtilities.CreateInstance<EvaluationService>(provider, replica.EvaluationClock ?? TimeProvider.System))
            .BuildServiceProvider();
        if (migrate)
        {
            await services.GetRequiredService<StoreDatabase>().MigrateAsync();
        }

        await services.GetRequiredService<EpisodeRecorder>().StartAsync(CancellationToken.None);
        _providers.Add(services);
        Gateway = services.GetRequiredService<EnvironmentGateway>();
        Service = services.GetRequiredService<EvaluationService>();
    }
}

/// <summary>One replica of a bench: its id, how its episodes are wrapped, its runner's settings and the clock its runner's leases, renewals and polls go by.</summary>
public sealed record Replica(string Id, Func<IEvaluationEpisodes, IEvaluationEpisodes>? WrapEpisodes = null, TimeProvider? EvaluationClock = null, EvaluationOptions? Options = null);
