using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// The real ChaosLab host on a real loopback port (Kestrel, not the in-memory test server), with
/// its own temporary data directory. Endpoint and browser tests talk to <see cref="ServerAddress"/>.
/// </summary>
public sealed class ChaosLabAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _dataDirectory = new();

    public ChaosLabAppFactory()
    {
        UseKestrel(0);
        StartServer();
        ServerAddress = ClientOptions.BaseAddress;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri ServerAddress { get; }

    public string DataDirectory => _dataDirectory.Path;

    /// <summary>A client for the real server that does not follow redirects, so tests see them.</summary>
    public HttpClient CreateHttpClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = ServerAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ChaosLab:DataDirectory", _dataDirectory.Path);
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
