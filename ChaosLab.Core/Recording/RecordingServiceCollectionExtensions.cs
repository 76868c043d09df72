using ChaosLab.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChaosLab.Core.Recording;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="EpisodeRecorder"/> (also as <see cref="IEpisodeRecorder"/>) and the
    /// <see cref="EpisodeFeed"/> (also as <see cref="IEpisodeFeed"/>) and the <see cref="IEpisodeClaims"/> of
    /// <see cref="RecordedSession"/>s as singletons, over the store of
    /// <see cref="Persistence.PersistenceServiceCollectionExtensions.AddChaosLabPersistence"/>. The host
    /// runs the writer by calling <see cref="EpisodeRecorder.StartAsync"/> and <see cref="EpisodeRecorder.StopAsync"/>.
    /// </summary>
    public static IServiceCollection AddChaosLabRecording(this IServiceCollection services, Action<RecordingOptions>? configure = null)
    {
        var options = services.AddOptions<RecordingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddChaosLabTelemetry();
        services.AddSingleton<EpisodeFeed>();
        services.AddSingleton<IEpisodeFeed>(provider => provider.GetRequiredService<EpisodeFeed>());
        services.AddSingleton<EpisodeRecorder>();
        services.AddSingleton<IEpisodeRecorder>(provider => provider.GetRequiredService<EpisodeRecorder>());
        services.AddSingleton<IEpisodeClaims, EpisodeClaims>();
        return services;
    }
}
