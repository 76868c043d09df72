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
/// processes and file size. Where the server may create cgroups, each run also gets one of its
/// own that caps the run's total memory and process count. Availability and the resource control
/// in use are probed once, with real runs.
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
    private readonly Lazy<ProbeResult> _probe;
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
        _probe = new Lazy<ProbeResult>(Probe, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Probed on first use with a trivial run through the full sandbox, then cached.</summary>
    public SandboxAvailability Availability => _probe.Value.Availability;

    /// <summary>Where run cgroups are created, or null when runs get rlimits only.</summary>
    internal CgroupLayout? Cgroups => _probe.Value.Cgroups;

    public async Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limits = request.Limits ?? _options.DefaultLimits;
        limits.Validate();
        ValidateFileNames(request.Files);

        var (availability, cgroups) = _probe.Value;
        if (!availability.IsAvailable)
        {
            return Refused(availability.Reason);
        }

        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await RunCoreAsync(request, limits, cgroups, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private ProbeResult Probe()
    {
        var probe = ProbeCore();
        var availability = probe.Availability;
        if (!availability.IsAvailable)
        {
            LogSandboxNotAvailable(_logger, availability.Reason);
        }
        else if (probe.Cgroups is null)
        {
            LogSandboxWithoutRunCap(_logger, availability.Reason);
        }
        else
        {
            LogSandboxAvailable(_logger, availability.Reason);
        }

        return probe;
    }

    private ProbeResult ProbeCore()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ProbeResult.NotAvailable("The Python sandbox needs Linux (bubblewrap and namespaces).");
        }

        if (!File.Exists(_options.BubblewrapPath))
        {
            return ProbeResult.NotAvailable(
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
                return ProbeResult.NotAvailable($"{label} not found at '{path}' (install the '{package}' package).");
            }

            // Only /usr is bound into the sandbox, so a tool elsewhere (pyenv, /opt) would not exist there.
            var resolved = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            if (!resolved.StartsWith("/usr/", StringComparison.Ordinal))
            {
                return ProbeResult.NotAvailable(
                    $"{label} at '{path}' resolves to '{resolved}', outside /usr, the only tree bound into the sandbox.");
            }
        }

        var cgroups = DetectCgroups(out var cgroupNote);
        if (cgroups is null && _options.ResourceControl == SandboxResourceControlPreference.RequireCgroup)
        {
            return ProbeResult.NotAvailable(
                $"a per-run cgroup is required ({nameof(BubblewrapSandboxOptions.ResourceControl)}={_options.ResourceControl}) but none is usable: {cgroupNote}");
        }

        SandboxResult? result = null;
        var failure = string.Empty;
        if (cgroups is not null)
        {
            result = TryProbeRun(cgroups, out failure);
            if (result is null)
            {
                // Found but not usable for a real run (e.g. no permission to create or join it):
                // rlimits still make a sandbox, unless a cgroup is required.
                cgroupNote = $"a run in a {cgroups.Kind} cgroup failed: {failure}";
                if (_options.ResourceControl == SandboxResourceControlPreference.RequireCgroup)
                {
                    return ProbeResult.NotAvailable($"a per-run cgroup is required but {cgroupNote}");
                }

                cgroups = null;
            }
        }

        result ??= TryProbeRun(null, out failure);
        if (result is null)
        {
            return ProbeResult.NotAvailable(failure);
        }

        var user = System.Environment.IsPrivilegedProcess ? $" as '{_options.UnprivilegedUser}'" : string.Empty;
        var control = cgroups?.Kind ?? SandboxResourceControl.Rlimits;
        var availability = SandboxAvailability.Available(
            $"bubblewrap {_options.BubblewrapPath}{user}, python {_options.PythonPath}, resource control: "
            + DescribeResourceControl(control, cgroups, cgroupNote)
            + $" (probe run {result.Elapsed.TotalMilliseconds:F0} ms)",
            control);
        return new ProbeResult(availability, cgroups);
    }

    private CgroupLayout? DetectCgroups(out string note)
    {
        if (_options.ResourceControl == SandboxResourceControlPreference.RlimitsOnly)
        {
            note = $"cgroups disabled by {nameof(BubblewrapSandboxOptions.ResourceControl)}={_options.ResourceControl}";
            return null;
        }

        if (!File.Exists(CgroupGate.ShellPath))
        {
            note = $"no {CgroupGate.ShellPath} to start runs inside their cgroup";
            return null;
        }

        return CgroupLayout.Detect(out note);
    }

    private static string DescribeResourceControl(SandboxResourceControl control, CgroupLayout? cgroups, string cgroupNote)
    {
        if (cgroups is not null)
        {
            return $"{SandboxAvailability.LabelOf(control)} (a cgroup per run under {cgroups.MemoryParent}"
                + (cgroups.PidsParent == cgroups.MemoryParent ? string.Empty : $" and {cgroups.PidsParent}")
                + ": total memory without swap and process count capped per run)";
        }

        // RLIMIT_NPROC is counted per user namespace since Linux 5.14; before, per account, so
        // every run of the account shares one count.
        var perRun = System.Environment.OSVersion.Version >= new Version(5, 14)
            ? "process count capped per run by RLIMIT_NPROC"
            : "process count capped by RLIMIT_NPROC across ALL runs of the account (kernel before 5.14)";
        return $"{SandboxAvailability.LabelOf(control)} ({cgroupNote}): {perRun}, memory capped per process only, so a run may use up to "
            + "MaxProcesses x MemoryBytes in total";
    }

    /// <summary>A trivial run through the full sandbox; null with the reason when it did not print the marker.</summary>
    private SandboxResult? TryProbeRun(CgroupLayout? cgroups, out string failure)
    {
        SandboxResult result;
        try
        {
            var probe = new SandboxRequest($"import sys\nprint('{ProbeMarker}', sys.version_info[0])\n");
            result = RunCoreAsync(probe, SandboxLimits.Default, cgroups, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            failure = $"Starting bubblewrap failed: {ex.Message}";
            return null;
        }

        if (result.Outcome != SandboxOutcome.Completed || result.Stdout != $"{ProbeMarker} 3\n")
        {
            var detail = result.Stderr.Trim();
            failure = $"A trivial sandboxed run failed ({result.Outcome}, exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}); "
                + "user namespaces may be disabled or restricted on this host. "
                + (detail.Length == 0 ? "No error output." : $"Its error output: {detail}");
            return null;
        }

        failure = string.Empty;
        return result;
    }

    private async Task<SandboxResult> RunCoreAsync(
        SandboxRequest request, SandboxLimits limits, CgroupLayout? cgroups, CancellationToken cancellationToken)
    {
        RunCgroup? cgroup = null;
        if (cgroups is not null)
        {
            try
            {
                cgroup = RunCgroup.Create(cgroups, limits);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Running without the cap the availability promised would be a silent downgrade.
                return Refused($"could not create the run's cgroup: {ex.Message}");
            }
        }

        var privileged = System.Environment.IsPrivilegedProcess;
        var staging = CreateStagingDirectory(privileged);
        try
        {
            var inputNames = StageFiles(staging, request, privileged);
            var startInfo = new ProcessStartInfo(cgroup is null ? _options.BubblewrapPath : CgroupGate.ShellPath)
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
            if (cgroup is not null)
            {
                CgroupGate.AddArguments(startInfo.ArgumentList, _options.BubblewrapPath);
            }

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

            return await ExecuteAsync(startInfo, request.Stdin, limits, cgroup, cancellationToken);
        }
        finally
        {
            TryDeleteDirectory(staging);
            if (cgroup is not null && !await cgroup.RemoveAsync())
            {
                LogCgroupCleanupFailed(_logger, string.Join(", ", cgroup.Directories));
            }
        }
    }

    private static async Task<SandboxResult> ExecuteAsync(
        ProcessStartInfo startInfo, string? stdin, SandboxLimits limits, RunCgroup? cgroup, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        await ProcessLauncher.Shared.StartAsync(process);
        if (cgroup is not null && await CgroupGate.TryOpenAsync(process, cgroup) is { } placementError)
        {
            await KillSandboxAsync(process);
            return Refused($"could not place the run in its cgroup: {placementError}");
        }

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
        var outOfMemoryKills = cgroup?.OutOfMemoryKills ?? 0;
        if (outOfMemoryKills > 0)
        {
            // A run may survive this (a child was killed, not the main process), but it must be told.
            errorText = Note(errorText,
                $"run memory limit of {limits.RunMemoryBytes} bytes reached: the kernel killed {outOfMemoryKills} process(es) of this run.");
        }

        return Classify(wallTimedOut, Volatile.Read(ref outputCapped) == 1, exitCode, outOfMemoryKills > 0,
                new SandboxResult(SandboxOutcome.Failed, exitCode, stdout.Text, errorText, truncated, elapsed), limits)
            with { PeakMemoryBytes = cgroup?.PeakMemoryBytes };
    }

    /// <summary>Turns how the run ended into an outcome; <paramref name="ended"/> carries the output and is Failed until proven otherwise.</summary>
    private static SandboxResult Classify(
        bool wallTimedOut, bool outputCapped, int exitCode, bool killedAtRunMemory, SandboxResult ended, SandboxLimits limits)
    {
        if (wallTimedOut)
        {
            return ended with
            {
                Outcome = SandboxOutcome.TimedOut,
                ExitCode = null,
                Stderr = Note(ended.Stderr, $"wall-time limit of {Seconds(limits.WallTime)} s exceeded; the process was killed."),
            };
        }

        if (outputCapped)
        {
            return ended with
            {
                Outcome = SandboxOutcome.OutputLimitExceeded,
                ExitCode = null,
                Stderr = Note(ended.Stderr, $"output limit of {limits.MaxOutputBytes} bytes per stream exceeded; the process was killed."),
                OutputTruncated = true,
            };
        }

        if (exitCode == 0)
        {
            return ended with { Outcome = SandboxOutcome.Completed };
        }

        if (exitCode == SigXcpuExitCode)
        {
            return TimedOutOnCpu(ended, limits);
        }

        // Checked before the CPU limit's SIGKILL: the kernel's OOM kill is a SIGKILL too.
        if (killedAtRunMemory || EndsWithMemoryError(ended.Stderr))
        {
            return ended with
            {
                Outcome = SandboxOutcome.MemoryLimitExceeded,
                Stderr = killedAtRunMemory ? ended.Stderr : Note(ended.Stderr, $"memory limit of {limits.MemoryBytes} bytes reached."),
            };
        }

        return exitCode == SigKillExitCode && ended.Elapsed >= limits.CpuTime ? TimedOutOnCpu(ended, limits) : ended;
    }

    private static SandboxResult TimedOutOnCpu(SandboxResult ended, SandboxLimits limits) => ended with
    {
        Outcome = SandboxOutcome.TimedOut,
        Stderr = Note(ended.Stderr, $"CPU-time limit of {Seconds(limits.CpuTime)} s exceeded; the process was killed."),
    };

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Python sandbox available WITHOUT a per-run memory cap: {Description}")]
    private static partial void LogSandboxWithoutRunCap(ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not remove the run cgroup {Directories}: processes are still in it")]
    private static partial void LogCgroupCleanupFailed(ILogger logger, string directories);

    /// <summary>What the one-time probe found: whether code can run, and the cgroups runs go into (null for rlimits only).</summary>
    private sealed record ProbeResult(SandboxAvailability Availability, CgroupLayout? Cgroups)
    {
        public static ProbeResult NotAvailable(string reason) => new(SandboxAvailability.NotAvailable(reason), null);
    }
}
