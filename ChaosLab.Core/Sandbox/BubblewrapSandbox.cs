using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Runs Python under bubblewrap: no network, private PID/IPC/UTS/user namespaces, only
/// <c>/usr</c> (and its merged-/usr links) bound read-only, a fresh sized tmpfs as working
/// directory, an empty environment but for a fixed few variables, and rlimits on CPU, memory,
/// processes and file size. Availability is probed once, with a real run.
/// </summary>
public sealed partial class BubblewrapSandbox : ICodeSandbox, IDisposable
{
    private const string ProbeMarker = "chaoslab-sandbox-probe";
    private const int SigXcpuExitCode = 128 + 24;
    private const int SigKillExitCode = 128 + 9;

    /// <summary>How long to wait for the pipes to close after a kill before giving up on them.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long bwrap gets to exit after its namespace was killed before its tree is killed too.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(1);

    private readonly BubblewrapSandboxOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<SandboxAvailability> _availability;
    private readonly SemaphoreSlim _slots;

    public BubblewrapSandbox(IOptions<BubblewrapSandboxOptions> options, ILogger<BubblewrapSandbox> logger)
        : this(options.Value, logger)
    {
    }

    public BubblewrapSandbox(BubblewrapSandboxOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _slots = new SemaphoreSlim(options.MaxConcurrentRuns, options.MaxConcurrentRuns);
        _availability = new Lazy<SandboxAvailability>(Probe, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Probed on first use with a trivial run through the full sandbox, then cached.</summary>
    public SandboxAvailability Availability => _availability.Value;

    public async Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limits = request.Limits ?? _options.DefaultLimits;
        limits.Validate();
        ValidateFileNames(request.Files);

        var availability = Availability;
        if (!availability.IsAvailable)
        {
            return Refused(availability.Reason);
        }

        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await RunCoreAsync(request, limits, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private SandboxAvailability Probe()
    {
        var availability = ProbeCore();
        if (availability.IsAvailable)
        {
            LogSandboxAvailable(_logger, availability.Reason);
        }
        else
        {
            LogSandboxNotAvailable(_logger, availability.Reason);
        }

        return availability;
    }

    private SandboxAvailability ProbeCore()
    {
        if (!OperatingSystem.IsLinux())
        {
            return SandboxAvailability.NotAvailable("The Python sandbox needs Linux (bubblewrap and namespaces).");
        }

        if (!File.Exists(_options.BubblewrapPath))
        {
            return SandboxAvailability.NotAvailable(
                $"bubblewrap not found at '{_options.BubblewrapPath}' (install the 'bubblewrap' package).");
        }

        foreach (var (label, path, package) in new[]
        {
            ("python", _options.PythonPath, "python3"),
            ("prlimit", _options.PrlimitPath, "util-linux"),
        })
        {
            if (!File.Exists(path))
            {
                return SandboxAvailability.NotAvailable($"{label} not found at '{path}' (install the '{package}' package).");
            }

            // Only /usr is bound into the sandbox, so a tool elsewhere (pyenv, /opt) would not exist there.
            var resolved = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            if (!resolved.StartsWith("/usr/", StringComparison.Ordinal))
            {
                return SandboxAvailability.NotAvailable(
                    $"{label} at '{path}' resolves to '{resolved}', outside /usr, the only tree bound into the sandbox.");
            }
        }

        SandboxResult result;
        try
        {
            var probe = new SandboxRequest($"import sys\nprint('{ProbeMarker}', sys.version_info[0])\n");
            result = RunCoreAsync(probe, SandboxLimits.Default, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return SandboxAvailability.NotAvailable($"Starting bubblewrap failed: {ex.Message}");
        }

        if (result.Outcome != SandboxOutcome.Completed || result.Stdout != $"{ProbeMarker} 3\n")
        {
            var detail = result.Stderr.Trim();
            return SandboxAvailability.NotAvailable(
                $"A trivial sandboxed run failed ({result.Outcome}, exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}); "
                + "user namespaces may be disabled or restricted on this host. "
                + (detail.Length == 0 ? "No error output." : $"bwrap said: {detail}"));
        }

        var user = System.Environment.IsPrivilegedProcess ? $" as '{_options.UnprivilegedUser}'" : string.Empty;
        return SandboxAvailability.Available(
            $"bubblewrap {_options.BubblewrapPath}{user}, python {_options.PythonPath} (probe run {result.Elapsed.TotalMilliseconds:F0} ms)");
    }

    private async Task<SandboxResult> RunCoreAsync(SandboxRequest request, SandboxLimits limits, CancellationToken cancellationToken)
    {
        var privileged = System.Environment.IsPrivilegedProcess;
        var staging = CreateStagingDirectory(privileged);
        try
        {
            var inputNames = StageFiles(staging, request, privileged);
            var startInfo = new ProcessStartInfo(_options.BubblewrapPath)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            // bwrap itself starts with an empty environment: --clearenv only cleans the code's
            // process, and bwrap's own PID-namespace init (PID 1 in the sandbox, same uid) would
            // otherwise show the server's variables in /proc/1/environ.
            startInfo.Environment.Clear();
            foreach (var argument in BubblewrapArguments.Build(_options, limits, staging, inputNames))
            {
                startInfo.ArgumentList.Add(argument);
            }

            if (privileged)
            {
                // Root is exempt from RLIMIT_NPROC (and keeps capabilities over files it owns), so
                // the sandbox runs under an unprivileged account; .NET switches uid/gid at fork.
                startInfo.UserName = _options.UnprivilegedUser;
            }

            return await ExecuteAsync(startInfo, request.Stdin, limits, cancellationToken);
        }
        finally
        {
            TryDeleteDirectory(staging);
        }
    }

    private static async Task<SandboxResult> ExecuteAsync(
        ProcessStartInfo startInfo, string? stdin, SandboxLimits limits, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        await ProcessLauncher.Shared.StartAsync(process);

        var outputCapped = 0;
        void KillForOutput()
        {
            Interlocked.Exchange(ref outputCapped, 1);
            KillNamespace(process);
        }

        using var drainCancellation = new CancellationTokenSource();
        var stdout = new BoundedOutputCapture(process.StandardOutput.BaseStream, limits.MaxOutputBytes, KillForOutput);
        var stderr = new BoundedOutputCapture(process.StandardError.BaseStream, limits.MaxOutputBytes, KillForOutput);
        var drains = Task.WhenAll(stdout.DrainAsync(drainCancellation.Token), stderr.DrainAsync(drainCancellation.Token));
        var feed = FeedStdinAsync(process, stdin);

        var wallTimedOut = false;
        using (var wall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wall.CancelAfter(limits.WallTime);
            try
            {
                await process.WaitForExitAsync(wall.Token);
            }
            catch (OperationCanceledException)
            {
                await KillSandboxAsync(process);
                if (cancellationToken.IsCancellationRequested)
                {
                    await drainCancellation.CancelAsync();
                    throw;
                }

                wallTimedOut = true;
            }
        }

        // After a kill the pipes close once the PID namespace is gone; a bound keeps a stuck pipe
        // from holding the caller.
        if (await Task.WhenAny(drains, Task.Delay(DrainGrace, CancellationToken.None)) != drains)
        {
            await drainCancellation.CancelAsync();
        }

        await process.WaitForExitAsync(CancellationToken.None);
        stopwatch.Stop();
        await feed;

        var truncated = stdout.Truncated || stderr.Truncated;
        var exitCode = process.ExitCode;
        var elapsed = stopwatch.Elapsed;
        var errorText = stderr.Text;

        if (wallTimedOut)
        {
            return new SandboxResult(SandboxOutcome.TimedOut, null, stdout.Text,
                Note(errorText, $"wall-time limit of {Seconds(limits.WallTime)} s exceeded; the process was killed."),
                truncated, elapsed);
        }

        if (Volatile.Read(ref outputCapped) == 1)
        {
            return new SandboxResult(SandboxOutcome.OutputLimitExceeded, null, stdout.Text,
                Note(errorText, $"output limit of {limits.MaxOutputBytes} bytes per stream exceeded; the process was killed."),
                true, elapsed);
        }

        if (exitCode == 0)
        {
            return new SandboxResult(SandboxOutcome.Completed, 0, stdout.Text, errorText, truncated, elapsed);
        }

        if (exitCode == SigXcpuExitCode || (exitCode == SigKillExitCode && elapsed >= limits.CpuTime))
        {
            return new SandboxResult(SandboxOutcome.TimedOut, exitCode, stdout.Text,
                Note(errorText, $"CPU-time limit of {Seconds(limits.CpuTime)} s exceeded; the process was killed."),
                truncated, elapsed);
        }

        if (EndsWithMemoryError(errorText))
        {
            return new SandboxResult(SandboxOutcome.MemoryLimitExceeded, exitCode, stdout.Text,
                Note(errorText, $"memory limit of {limits.MemoryBytes} bytes reached."), truncated, elapsed);
        }

        return new SandboxResult(SandboxOutcome.Failed, exitCode, stdout.Text, errorText, truncated, elapsed);
    }

    private static async Task FeedStdinAsync(Process process, string? stdin)
    {
        var input = process.StandardInput.BaseStream;
        try
        {
            if (!string.IsNullOrEmpty(stdin))
            {
                await input.WriteAsync(Encoding.UTF8.GetBytes(stdin));
                await input.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The code exited (or was killed) without reading all of its input.
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (IOException)
            {
                // Same as above: the read end is already gone.
            }
        }
    }

    /// <summary>
    /// Kills bwrap's own child, PID 1 of the sandbox's PID namespace: once it dies the kernel kills
    /// every process in the namespace at once, which does not race a fork bomb the way walking the
    /// tree does, and bwrap then reaps it and exits (killing bwrap first would leave a zombie).
    /// </summary>
    private static void KillNamespace(Process process)
    {
        foreach (var childId in ChildProcessIds(process.Id))
        {
            try
            {
                using var child = Process.GetProcessById(childId);
                child.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
            {
                // Gone already.
            }
        }
    }

    private static async Task KillSandboxAsync(Process process)
    {
        KillNamespace(process);
        using var grace = new CancellationTokenSource(KillGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
            return;
        }
        catch (OperationCanceledException)
        {
            // bwrap did not go by itself: the tree walk, then --die-with-parent, are the fallbacks.
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or AggregateException)
        {
            // Exited between the check and the signal.
        }
    }

    private static List<int> ChildProcessIds(int processId)
    {
        string children;
        try
        {
            children = File.ReadAllText($"/proc/{processId}/task/{processId}/children");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return children.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();
    }

    private string CreateStagingDirectory(bool privileged)
    {
        if (OperatingSystem.IsWindows())
        {
            // Unreachable: the probe refuses anything but Linux before a run starts.
            throw new PlatformNotSupportedException("The Python sandbox needs Linux.");
        }

        string path;
        if (string.IsNullOrEmpty(_options.StagingDirectory))
        {
            path = Directory.CreateTempSubdirectory("chaoslab-sandbox-").FullName;
        }
        else
        {
            Directory.CreateDirectory(_options.StagingDirectory);
            path = Path.Combine(_options.StagingDirectory, "run-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
        }

        // bwrap runs as the unprivileged account when the server is root and must reach the files
        // to bind them; search without listing is enough.
        File.SetUnixFileMode(path, privileged
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static List<string> StageFiles(string staging, SandboxRequest request, bool privileged)
    {
        var mode = privileged
            ? UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead
            : UnixFileMode.UserRead;
        WriteStagedFile(Path.Combine(staging, BubblewrapArguments.CodeFileName), request.Code, mode);

        var names = new List<string>();
        foreach (var (name, content) in request.Files ?? new Dictionary<string, string>())
        {
            WriteStagedFile(Path.Combine(staging, name), content, mode);
            names.Add(name);
        }

        return names;
    }

    private static void WriteStagedFile(string path, string content, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            // Unreachable: the probe refuses anything but Linux before a run starts.
            throw new PlatformNotSupportedException("The Python sandbox needs Linux.");
        }

        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.SetUnixFileMode(path, mode);
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogStagingCleanupFailed(_logger, path, ex.Message);
        }
    }

    private static void ValidateFileNames(IReadOnlyDictionary<string, string>? files)
    {
        if (files is null)
        {
            return;
        }

        foreach (var name in files.Keys)
        {
            var plain = name.Length is > 0 and <= 255
                && name is not "." and not ".."
                && name.IndexOfAny(['/', '\0']) < 0
                && !string.Equals(name, BubblewrapArguments.CodeFileName, StringComparison.Ordinal);
            if (!plain)
            {
                throw new ArgumentException(
                    $"Sandbox input file name '{name}' must be a plain file name other than '{BubblewrapArguments.CodeFileName}'.",
                    nameof(files));
            }
        }
    }

    private static SandboxResult Refused(string reason) =>
        new(SandboxOutcome.Refused, null, string.Empty, $"[sandbox] refused, the code was not run: {reason}\n", false, TimeSpan.Zero);

    private static bool EndsWithMemoryError(string stderr)
    {
        var trimmed = stderr.TrimEnd();
        var lastLine = trimmed[(trimmed.LastIndexOf('\n') + 1)..];
        return lastLine.StartsWith("MemoryError", StringComparison.Ordinal);
    }

    private static string Note(string stderr, string note) =>
        (stderr.Length == 0 || stderr.EndsWith('\n') ? stderr : stderr + "\n") + "[sandbox] " + note + "\n";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Python sandbox available: {Description}")]
    private static partial void LogSandboxAvailable(ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Python sandbox NOT available, code execution will be refused: {Reason}")]
    private static partial void LogSandboxNotAvailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete sandbox staging directory {Path}: {Error}")]
    private static partial void LogStagingCleanupFailed(ILogger logger, string path, string error);
}
