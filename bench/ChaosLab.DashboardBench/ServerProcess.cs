using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChaosLab.DashboardBench;

/// <summary>
/// The real server (the Release build of ChaosLab.Web that this project's build produced) in its
/// own process, on a free loopback port, with first-start seeding and retention off.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public static async Task<ServerProcess> StartAsync(string repository, string dataDirectory)
    {
        var output = Path.Combine(repository, "ChaosLab.Web", "bin", "Release", "net10.0");
        var assembly = Path.Combine(output, "ChaosLab.Web.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("Run the benchmark with -c Release: it starts the Release build of ChaosLab.Web.", assembly);
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            assembly, "--urls", address.ToString(), "--ChaosLab:DataDirectory", dataDirectory,
            "--ChaosLab:Seeding:Enabled", "false", "--Logging:LogLevel:Default", "Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it answered.");
            }

            try
            {
                using var response = await server.Client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine($"Server answered after {watch.Elapsed.TotalSeconds:F1} s");
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Echo(string? line)
    {
        if (line is not null)
        {
            Console.WriteLine($"  [server] {line}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class RepositoryRoot
{
    /// <summary>The directory holding ChaosLab.sln, searched upwards from the working directory and then from the binary.</summary>
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ChaosLab.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("Run the benchmark inside the ChaosLab repository.");
    }
}
