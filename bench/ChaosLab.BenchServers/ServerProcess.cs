using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChaosLab.BenchServers;

/// <summary>
/// A server under test started as its own process on a free loopback port, so its memory and
/// CPU time can be read from /proc and the client's work does not share its accounting. Its
/// output is echoed to standard error, each line prefixed with its name.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not exposed to .NET).
    private const int ClockTicksPerSecond = 100;

    private readonly Process _process;
    private readonly string? _scratchDirectory;

    private ServerProcess(string name, Process process, Uri address, string? scratchDirectory)
    {
        Name = name;
        _process = process;
        Address = address;
        _scratchDirectory = scratchDirectory;
    }

    public string Name { get; }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the server and waits until its <c>/health</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(ServerStart server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!File.Exists(server.Dll))
        {
            throw new FileNotFoundException($"{server.Dll} is missing: run the benchmark with -c Release (building it builds the servers it starts).", server.Dll);
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(server.Dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(server.Dll);
        start.ArgumentList.Add($"--urls={address.GetLeftPart(UriPartial.Authority)}");
        foreach (var argument in server.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (variable, value) in server.Environment)
        {
            start.Environment[variable] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {server.Name}.");
        process.OutputDataReceived += (_, e) => Echo(server.Name, e.Data);
        process.ErrorDataReceived += (_, e) => Echo(server.Name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new ServerProcess(server.Name, process, address, server.ScratchDirectory);
        try
        {
            await WaitUntilHealthyAsync(process, address, server.StartTimeout);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
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
        if (_scratchDirectory is not null)
        {
            try
            {
                Directory.Delete(_scratchDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp directory; nothing reads it again.
            }
        }
    }

    private static async Task WaitUntilHealthyAsync(Process process, Uri address, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = address };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it answered.");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server did not become healthy within {timeout.TotalSeconds:F0} s.");
    }

    private static void Echo(string name, string? line)
    {
        if (line is not null)
        {
            Console.Error.WriteLine($"[{name}] {line}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
