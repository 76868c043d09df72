using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChaosLab.LoadDriver;

/// <summary>
/// A server under test (ChaosLab, or the echo floor), started as its own process on a free
/// loopback port with a throwaway data directory, so its memory and CPU time can be read from
/// /proc and client work does not share its accounting.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not exposed to .NET).
    private const int ClockTicksPerSecond = 100;

    private readonly Process _process;
    private readonly string _dataDirectory;

    private ServerProcess(string name, Process process, Uri address, string dataDirectory)
    {
        Name = name;
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>Starts ChaosLab with room for <paramref name="maxSessions"/> sessions (set through configuration, as an operator would).</summary>
    /// <param name="environment">Extra environment variables (e.g. GC settings), the same for every server of a comparison.</param>
    /// <param name="name">How the report names it ("ChaosLab", or "before" for an older build compared in the same run).</param>
    public static Task<ServerProcess> StartChaosLabAsync(string name, string serverDll, int maxSessions, IReadOnlyDictionary<string, string> environment) =>
        StartAsync(name, serverDll, environment, dataDirectory =>
        [
            $"--ChaosLab:DataDirectory={dataDirectory}",
            FormattableString.Invariant($"--ChaosLab:MaxSessions={maxSessions}"),
            "--ChaosLab:SessionIdleTimeout=01:00:00",

            // The driver's held clients have no receive pending, so they cannot answer the
            // keep-alive Pings that would otherwise end their sessions mid-run.
            "--ChaosLab:WebSocketKeepAliveInterval=01:00:00",
        ]);

    public static Task<ServerProcess> StartEchoAsync(string echoDll, IReadOnlyDictionary<string, string> environment) =>
        StartAsync("echo", echoDll, environment, _ => []);

    private static async Task<ServerProcess> StartAsync(string name, string serverDll, IReadOnlyDictionary<string, string> environment, Func<string, IEnumerable<string>> arguments)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "chaoslab-load-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        foreach (var argument in arguments(dataDirectory))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{name}] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return new ServerProcess(name, process, address, dataDirectory);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The server did not become healthy within 20 s.");
    }

    /// <summary>Resident memory of the server process, from /proc (kB granularity).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }

        throw new InvalidOperationException("VmRSS not found.");
    }

    /// <summary>User plus system CPU time the server process has used, from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime()
    {
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
