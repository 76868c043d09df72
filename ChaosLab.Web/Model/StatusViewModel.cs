using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Services;

namespace ChaosLab.Web.Model;

/// <summary>State of the status page: what the server is, what it offers, and its traffic.</summary>
public sealed class StatusViewModel(ServerInfo server, SuiteCatalog catalog, EpisodeStore episodes, RequestRateMonitor requestRate)
{
    public string ProductName => server.Name;

    public string Version => server.Version;

    public string Uptime => FormatUptime(server.Uptime);

    public IReadOnlyList<SuiteSummary> Suites { get; } =
        [.. catalog.Suites.Select(s => new SuiteSummary(s.Name, s.Description, s.Tasks.Count, s.Scenarios.Count))];

    public int ScenarioCount => Suites.Sum(s => s.ScenarioCount);

    /// <summary>Null until loaded, or when the store could not be read (see <see cref="EpisodeCountError"/>).</summary>
    public int? EpisodeCount { get; private set; }

    public string? EpisodeCountError { get; private set; }

    public ChartFigure RequestRateFigure { get; private set; } = ChartFigure.Empty;

    public async Task RefreshEpisodeCountAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            EpisodeCount = await episodes.CountAsync(cancellationToken);
            EpisodeCountError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            EpisodeCount = null;
            EpisodeCountError = $"The episode store could not be read: {ex.Message}";
        }
    }

    public void RefreshRequestRate()
    {
        var points = requestRate.Snapshot();
        RequestRateFigure = new ChartFigure(
            [
                new ChartTrace(
                    "requests/s",
                    [.. points.Select(p => p.Second.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))],
                    [.. points.Select(p => (double)p.Requests)],
                    ChartTraceKind.Area),
            ],
            new ChartLayout(XAxisTitle: null, YAxisTitle: "requests/s", XAxisIsTime: true));
    }

    public static string FormatUptime(TimeSpan uptime)
    {
        if (uptime < TimeSpan.Zero)
        {
            uptime = TimeSpan.Zero;
        }

        return uptime.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalDays}d {uptime.Hours}h {uptime.Minutes}m")
            : uptime.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{uptime.Hours}h {uptime.Minutes}m {uptime.Seconds}s")
                : string.Create(CultureInfo.InvariantCulture, $"{uptime.Minutes}m {uptime.Seconds}s");
    }
}

public sealed record SuiteSummary(string Name, string Description, int TaskCount, int ScenarioCount);
