using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// A real store and recorder (SQLite in a temp directory, the live feed) without the web host:
/// for view models that read recorded episodes and follow live ones.
/// </summary>
public sealed class RecordingHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services;

    private RecordingHarness(bool createSchema)
    {
        _services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .AddChaosLabRecording()
            .BuildServiceProvider();
        SchemaCreated = createSchema;
    }

    public bool SchemaCreated { get; }

    public string DataDirectory => _directory.Path;

    public EpisodeStore Store => _services.GetRequiredService<EpisodeStore>();

    public ChaosLab.Core.Curriculum.CurriculumStore Curricula => _services.GetRequiredService<ChaosLab.Core.Curriculum.CurriculumStore>();

    public IEpisodeFeed Feed => _services.GetRequiredService<IEpisodeFeed>();

    public IEpisodeRecorder Recorder => _services.GetRequiredService<IEpisodeRecorder>();

    public ChaosLab.Core.Telemetry.ChaosLabMetrics Metrics => _services.GetRequiredService<ChaosLab.Core.Telemetry.ChaosLabMetrics>();

    /// <summary>The agent traces the replay's harness lane reads.</summary>
    public ChaosLab.Core.Evaluation.AgentTraceStore Traces => _services.GetRequiredService<ChaosLab.Core.Evaluation.AgentTraceStore>();

    /// <param name="createSchema">False leaves the database without tables, so every read fails like a broken store.</param>
    public static async Task<RecordingHarness> StartAsync(bool createSchema = true)
    {
        var harness = new RecordingHarness(createSchema);
        if (createSchema)
        {
            await new SchemaMigrator(TimeProvider.System).MigrateAsync(Path.Combine(harness._directory.Path, "chaoslab.db"));
            await harness._services.GetRequiredService<EpisodeRecorder>().StartAsync(CancellationToken.None);
        }

        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing the provider stops the recorder, which drains what it still holds.
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
