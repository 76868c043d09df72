using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// A real store and recorder (SQLite in a temp directory by default, or a PostgreSQL database; the
/// live feed) without the web host: for view models that read recorded episodes and follow live ones.
/// </summary>
public sealed class RecordingHarness : IAsyncDisposable
{
    private readonly TestStore _store;

    private RecordingHarness(TestStore store, bool createSchema)
    {
        _store = store;
        SchemaCreated = createSchema;
    }

    public bool SchemaCreated { get; }

    public string DataDirectory => _store.DataDirectory;

    public EpisodeStore Store => _store.Get<EpisodeStore>();

    public ChaosLab.Core.Curriculum.CurriculumStore Curricula => _store.Get<ChaosLab.Core.Curriculum.CurriculumStore>();

    public IEpisodeFeed Feed => _store.Get<IEpisodeFeed>();

    public IEpisodeRecorder Recorder => _store.Get<IEpisodeRecorder>();

    public ChaosLab.Core.Telemetry.ChaosLabMetrics Metrics => _store.Get<ChaosLab.Core.Telemetry.ChaosLabMetrics>();

    /// <summary>The agent traces the replay's harness lane reads.</summary>
    public ChaosLab.Core.Evaluation.AgentTraceStore Traces => _store.Get<ChaosLab.Core.Evaluation.AgentTraceStore>();

    /// <param name="createSchema">False leaves the database without tables, so every read fails like a broken store.</param>
    /// <param name="provider">The engine; tests of store behaviour run on both (<see cref="StoreTheoryAttribute"/>).</param>
    public static async Task<RecordingHarness> StartAsync(bool createSchema = true, StoreProvider provider = StoreProvider.Sqlite)
    {
        var store = await TestStore.CreateAsync(provider, services => services.AddChaosLabRecording(), migrate: createSchema);
        var harness = new RecordingHarness(store, createSchema);
        if (createSchema)
        {
            await store.Get<EpisodeRecorder>().StartAsync(CancellationToken.None);
        }

        return harness;
    }

    /// <summary>Disposing the services stops the recorder, which drains what it still holds.</summary>
    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
