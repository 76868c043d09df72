using ChaosLab.Web.Services;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// Tells the person who started the server where the dashboard is, from the addresses Kestrel
/// really bound (a port chosen by <c>--urls</c> or port 0 included).
/// </summary>
/// <remarks>
/// Taking <see cref="ServerInfo"/> here also starts the uptime clock with the host: a singleton
/// is otherwise created on first use, which would be the status page's first visit.
/// </remarks>
internal sealed partial class StartupAnnouncement(
    ServerInfo server,
    IServer kestrel,
    IHostApplicationLifetime lifetime,
    ILogger<StartupAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(logger, server.Name, server.Version, server.StartedAt);
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in DashboardAddresses(kestrel.Features.Get<IServerAddressesFeature>()?.Addresses ?? []))
            {
                LogDashboard(logger, address);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The dashboard's URL on each bound address; a wildcard host (<c>*</c>, <c>+</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>) is shown as <c>localhost</c>, which a browser on this machine can open.
    /// </summary>
    public static IEnumerable<string> DashboardAddresses(IEnumerable<string> bound) =>
        bound
            .Select(address => address.Replace("://*:", "://localhost:", StringComparison.Ordinal)
                .Replace("://+:", "://localhost:", StringComparison.Ordinal)
                .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal)
                .Replace("://[::]:", "://localhost:", StringComparison.Ordinal))
            .Select(address => address.TrimEnd('/') + WebUi.PathBase + "/")
            .Distinct(StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} {Version} starting at {StartedAt:O}")]
    private static partial void LogStarting(ILogger logger, string name, string version, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "ChaosLab dashboard: {Address}")]
    private static partial void LogDashboard(ILogger logger, string address);
}
