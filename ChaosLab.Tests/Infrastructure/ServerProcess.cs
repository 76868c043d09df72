using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// The real server, the ChaosLab.Web build output, as its own OS process: what an in-process
/// host cannot give a test, a <c>kill -9</c> and a restart on the same data directory.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string ServerDll = "ChaosLab.Web.dll";
    private const string ListeningPrefix = "Now listening on: ";
    private const int SigKill = 9;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(40);
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private ServerProcess(Process process, ProcessOutput output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The server's recent console output, for failure messages.</summary>
    public string Output => _output.Text;

    /// <summary>Starts the server on <paramref name="dataDirectory"/> and returns once <c>/health</c> answers healthy.</summary>
    /// <param name="settings">Extra configuration, as <c>--Key=value</c> arguments.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, params IReadOnlyList<string> settings)
    {
        var serverDll = LocateServer();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverDll);
        // Port 0 and the address read back from the log: no race for a "free" port with parallel tests.
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add($"--ChaosLab:DataDirectory={dataDirectory}");
        start.ArgumentList.Add("--ChaosLab:Seeding:Enabled=false");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        // Whatever the test runner's environment says, the server runs as deployed.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var output = new ProcessOutput();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var server = new ServerProcess(process, output, await ListenAddressAsync(process, output, timeout.Token));
            await server.WaitUntilHealthyAsync(timeout.Token);
            return server;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            await StopAsync(process);
            throw new InvalidOperationException($"The server was not healthy within {StartTimeout}.\n{output.Text}");
        }
        catch
        {
            await StopAsync(process);
            throw;
        }
    }

    /// <summary>The WebSocket address of <paramref name="path"/>.</summary>
    public Uri WebSocketAddress(string path) => new UriBuilder(Address) { Scheme = "ws", Path = path }.Uri;

    public HttpClient CreateHttpClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>The first line of console output (already written or still to come) containing <paramref name="text"/>.</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) =>
        _output.WaitForLineAsync(text).WaitAsync(timeout);

    public async Task<string> HealthStatusAsync()
    {
        using var http = CreateHttpClient();
        var health = await http.GetFromJsonAsync<JsonObject>(new Uri("/health", UriKind.Relative));
        return health!["status"]!.GetValue<string>();
    }

    /// <summary>
    /// Ends the server with SIGKILL, like <c>kill -9</c> or the OOM killer: no shutdown hook runs
    /// and nothing queued is flushed. Throws if the process ended any other way.
    /// </summary>
    public async Task KillAsync()
    {
        // On Unix, Process.Kill sends SIGKILL; the exit code of a signalled process is 128 + signal.
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        if (OperatingSystem.IsLinux() && _process.ExitCode != 128 + SigKill)
        {
            throw new InvalidOperationException($"The server exited with {_process.ExitCode}, not by SIGKILL.\n{Output}");
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(_process);

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>
    /// The server's own build output when it has one (its deps, runtimeconfig and appsettings sit
    /// together there), else the copy in this test assembly's folder.
    /// </summary>
    private static string LocateServer()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var targetFramework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ChaosLab.sln")))
        {
            root = root.Parent;
        }

        string[] candidates =
        [
            .. root is null ? [] : new[] { Path.Combine(root.FullName, "ChaosLab.Web", "bin", configuration, targetFramework) },
            testOutput.FullName,
        ];
        return candidates
            .Select(folder => Path.Combine(folder, ServerDll))
            .FirstOrDefault(dll => File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            ?? throw new InvalidOperationException($"{ServerDll} with its runtimeconfig is in none of: {string.Join(", ", candidates)}.");
    }

    private static async Task<Uri> ListenAddressAsync(Process process, ProcessOutput output, CancellationToken cancellationToken)
    {
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Add(e.Data);
            var at = e.Data.IndexOf(ListeningPrefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data[(at + ListeningPrefix.Length)..].Trim()));
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Waiting for the exit ends on the token too, so this returns by the deadline at the latest.
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return first == listening.Task
            ? await listening.Task
            : throw new InvalidOperationException($"The server exited with {process.ExitCode} before listening.\n{output.Text}");
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient();
        while (true)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (!_process.HasExited)
            {
                // Listening, but not serving yet.
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The last lines a process wrote, bounded so a chatty server cannot fill memory.</summary>
    private sealed class ProcessOutput
    {
        private const int MaxLines = 200;
        private readonly Queue<string> _lines = new();
        private readonly Lock _lock = new();
        private readonly List<(string Text, TaskCompletionSource<string> Found)> _waiters = [];

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public void Add(string line)
        {
            lock (_lock)
            {
                _lines.Enqueue(line);
                if (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }

                foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    waiter.Found.TrySetResult(line);
                    _waiters.Remove(waiter);
                }
            }
        }

        public Task<string> WaitForLineAsync(string text)
        {
            lock (_lock)
            {
                if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } seen)
                {
                    return Task.FromResult(seen);
                }

                var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((text, found));
                return found.Task;
            }
        }
    }
}
