using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Web.Services;

namespace ChaosLab.Web.Model;

/// <summary>State of the status page: what the server is, what it offers, and its traffic.</summary>
public sealed class StatusViewModel(
    ServerInfo server, SuiteCatalog catalog, EpisodeStore episodes, RequestRateMonitor requestRate, StoreStatistics storeStatistics, StoreDatabase database)
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

    /// <summary>The store's size and growth as numbers; null until loaded, or when it could not be read (see <see cref="StoreSizeError"/>).</summary>
    public StoreSize? StoreSize { get; private set; }

    public string? StoreSizeError { get; private set; }

    /// <summary>What <see cref="StoreFileSizeText"/> measures: the SQLite file on disk, or the PostgreSQL database on its server.</summary>
    public string StoreSizeLabel => database.IsPostgres ? "Store in PostgreSQL" : "Store on disk";

    /// <summary>The store's bytes (SQLite: database file and write-ahead log; PostgreSQL: the database's size), e.g. "36.5 MB".</summary>
    public string? StoreFileSizeText => StoreSize is { } size ? FormatBytes(size.Bytes) : null;

    /// <summary>Average store bytes per recorded step, e.g. "812 B per recorded step", or that none is recorded yet.</summary>
    public string? StoreBytesPerStepText => StoreSize is { } size ? size.BytesPerStep is { } perStep ? $"{FormatBytes((long)Math.Round(perStep))} per recorded step" : "no steps recorded yet" : null;

    /// <summary>Episodes started in the last hour and the bytes they added, e.g. "+1.2 MB (120 episodes)".</summary>
    public string? StoreGrowthLastHourText => StoreSize is { } size ? FormatGrowth(size.LastHour) : null;

    /// <summary>The same for the last 24 hours.</summary>
    public string? StoreGrowthLastDayText => StoreSize is { } size ? FormatGrowth(size.LastDay) : null;

    public async Task RefreshStoreSizeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            StoreSize = await storeStatistics.ReadAsync(cancellationToken);
            StoreSizeError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            StoreSize = null;
            StoreSizeError = $"The store's size could not be read: {ex.Message}";
        }
    }

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

    /// <summary>Bytes in binary units with one decimal: "512 B", "1.5 KB", "36.5 MB", "2.0 GB".</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["KB", "MB", "GB", "TB"];
        if (Math.Abs(bytes) < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        var value = (double)bytes;
        var unit = -1;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }

    public static string FormatGrowth(StoreGrowth growth)
    {
        ArgumentNullException.ThrowIfNull(growth);
        return string.Create(CultureInfo.InvariantCulture,
            $"+{FormatBytes(growth.EstimatedBytes)} ({growth.Episodes:N0} {(growth.Episodes == 1 ? "episode" : "episodes")})");
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
