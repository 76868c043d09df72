using ChaosLab.Core.Recording;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// Runs the recorder's writer with the host: started after the database is ready (registered
/// after <see cref="DatabaseStartup"/>), and on shutdown drains every queued record within the
/// host's shutdown timeout.
/// </summary>
internal sealed class RecordingLifetime(EpisodeRecorder recorder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => recorder.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => recorder.StopAsync(cancellationToken);
}
