using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// The real ChaosLab host on a real loopback port (Kestrel, not the in-memory test server), with
/// its own temporary data directory. Endpoint and browser tests talk to <see cref="ServerAddress"/>.
/// A subclass can run the whole server on PostgreSQL (a new database on the test run's server) by
/// passing <see cref="StoreProvider.Postgres"/>.
/// </summary>
public class ChaosLabAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _dataDirectory = new();
    private readonly IReadOnlyDictionary<string, string> _settings;

    public ChaosLabAppFactory()
        : this(new Dictionary<string, string>())
    {
    }

    /// <param name="settings">Configuration overrides, e.g. <c>ChaosLab:MaxSessions</c>.</param>
    protected ChaosLabAppFactory(IReadOnlyDictionary<string, string> settings)
        : this(settings, StoreProvider.Sqlite)
    {
    }

    /// <param name="settings">Configuration overrides, e.g. <c>ChaosLab:MaxSessions</c>.</param>
    /// <param name="provider">The store's engine; PostgreSQL gets a new, empty database.</param>
    protected ChaosLabAppFactory(IReadOnlyDictionary<string, string> settings, StoreProvider provider)
    {
        Provider = provider;
        _settings = provider == StoreProvider.Postgres ? WithPostgres(settings) : settings;
        UseKestrel(0);
        StartServer();
        ServerAddress = ClientOptions.BaseAddress;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri ServerAddress { get; }

    public string DataDirectory => _dataDirectory.Path;

    public StoreProvider Provider { get; }

    /// <summary>The PostgreSQL database the server uses; null on SQLite.</summary>
    public string? ConnectionString => _settings.GetValueOrDefault("ChaosLab:Database:ConnectionString");

    /// <summary>The WebSocket address of <paramref name="path"/> on the real server.</summary>
    public Uri WebSocketAddress(string path) => new UriBuilder(ServerAddress) { Scheme = "ws", Path = path }.Uri;

    /// <summary>A client for the real server that does not follow redirects, so tests see them.</summary>
    public HttpClient CreateHttpClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = ServerAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ChaosLab:DataDirectory", _dataDirectory.Path);
        // A factory that served Chromium waited the host's full 30 s graceful stop when disposed
        // (measured: +30 s per browser test class), although each test closes its browser
        // context: Kestrel logs "Some connections failed to close gracefully during server
        // shutdown", so a connection from the shared browser process stays open. Tests do not
        // need a graceful drain; which connection it is has not been found yet.
        builder.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        // Tests start from an empty store; the seeding test turns it back on.
        builder.UseSetting("ChaosLab:Seeding:Enabled", "false");
        foreach (var (key, value) in TestAgents.Settings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }

    private static Dictionary<string, string> WithPostgres(IReadOnlyDictionary<string, string> settings)
    {
        // Off the test's synchronization context: this runs in a constructor, which cannot await.
        var connectionString = Task.Run(() => PostgresServer.CreateDatabaseAsync()).GetAwaiter().GetResult();
        return new Dictionary<string, string>(settings)
        {
            ["ChaosLab:Database:Provider"] = "postgres",
            ["ChaosLab:Database:ConnectionString"] = connectionString,
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _dataDirectory.Dispose();
        }
    }
}
