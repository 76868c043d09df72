using ChaosLab.Core;
using ChaosLab.Web.Hosting;

namespace ChaosLab.Web.Cli;

/// <summary>
/// The engine without the web server, for a command: the same configuration sources and store as
/// the server (appsettings, <c>ChaosLab__*</c> variables), the database brought up to date and the
/// recorder running. Logs go to standard error, so standard output carries only what the command prints.
/// </summary>
internal static class EngineHost
{
    /// <param name="dataDirectory">Overrides <c>ChaosLab:DataDirectory</c> when set.</param>
    /// <exception cref="Core.Persistence.DataDirectoryInUseException">A server or another command holds the data directory.</exception>
    public static async Task<IHost> StartAsync(string? dataDirectory, Action<IServiceCollection>? configure, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        if (dataDirectory is not null)
        {
            builder.Configuration[$"{ChaosLabOptions.SectionName}:{nameof(ChaosLabOptions.DataDirectory)}"] = dataDirectory;
        }

        // A command speaks through its own display; the host says only what went wrong. Set after
        // appsettings.json, whose levels are the server's.
        builder.Configuration["Logging:LogLevel:Default"] = nameof(LogLevel.Warning);
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = nameof(LogLevel.Warning);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddChaosLabEngine();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
