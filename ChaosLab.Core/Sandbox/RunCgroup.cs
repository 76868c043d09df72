using System.Globalization;

namespace ChaosLab.Core.Sandbox;

/// <summary>
/// The cgroup of one run: created with the run's limits before anything starts, the run's first
/// process moved into it before it execs bwrap (so every later fork is inside), removed after.
/// </summary>
internal sealed class RunCgroup
{
    private const string NamePrefix = "chaoslab-run-";

    /// <summary>How often removal is retried while the kernel is still tearing down the run's processes.</summary>
    private const int RemoveAttempts = 50;

    private static readonly TimeSpan RemoveRetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly CgroupLayout _layout;
    private readonly string _memory;
    private readonly string _pids;

    private RunCgroup(CgroupLayout layout, string name)
    {
        _layout = layout;
        _memory = Path.Combine(layout.MemoryParent, name);
        _pids = Path.Combine(layout.PidsParent, name);
    }

    /// <summary>Directories of this cgroup: one for v2, the memory and the pids cgroup for v1.</summary>
    public IReadOnlyList<string> Directories => _memory == _pids ? [_memory] : [_memory, _pids];

    /// <summary>Processes the kernel killed at the memory cap so far.</summary>
    public int OutOfMemoryKills
    {
        get
        {
            var file = _layout.Kind == SandboxResourceControl.CgroupV2 ? "memory.events" : "memory.oom_control";
            return (int)ReadKeyedValue(Path.Combine(_memory, file), "oom_kill");
        }
    }

    /// <summary>Highest memory use of the run (pages, tmpfs and kernel memory charged to it), or null where the kernel does not track it.</summary>
    public long? PeakMemoryBytes
    {
        get
        {
            var file = _layout.Kind == SandboxResourceControl.CgroupV2 ? "memory.peak" : "memory.max_usage_in_bytes";
            return TryReadNumber(Path.Combine(_memory, file));
        }
    }

    /// <summary>Creates the cgroup with its limits; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when that is not allowed here.</summary>
    public static RunCgroup Create(CgroupLayout layout, SandboxLimits limits)
    {
        var cgroup = new RunCgroup(layout, NamePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var directory in cgroup.Directories)
            {
                Directory.CreateDirectory(directory);
            }

            cgroup.ApplyLimits(limits);
            return cgroup;
        }
        catch
        {
            cgroup.TryRemove();
            throw;
        }
    }

    /// <summary>Leftover run cgroups under a layout (for tests and diagnostics: there should be none once runs ended).</summary>
    public static IEnumerable<string> Leftovers(CgroupLayout layout) =>
        new[] { layout.MemoryParent, layout.PidsParent }.Distinct()
            .SelectMany(parent => Directory.EnumerateDirectories(parent, NamePrefix + "*"));

    /// <summary>Moves a process (with all its threads) into this cgroup.</summary>
    public void Add(int processId)
    {
        foreach (var directory in Directories)
        {
            File.WriteAllText(Path.Combine(directory, "cgroup.procs"), processId.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Removes the cgroup; false if it still exists. A cgroup with processes cannot be removed, and
    /// the kernel reaps a killed PID namespace asynchronously, so stragglers are killed and removal
    /// is retried briefly.
    /// </summary>
    public async Task<bool> RemoveAsync()
    {
        for (var attempt = 0; attempt < RemoveAttempts; attempt++)
        {
            KillMembers();
            if (TryRemove())
            {
                return true;
            }

            await Task.Delay(RemoveRetryDelay, CancellationToken.None);
        }

        return false;
    }

    private void ApplyLimits(SandboxLimits limits)
    {
        var memory = limits.RunMemoryBytes.ToString(CultureInfo.InvariantCulture);
        // Every process and thread of the run counts, plus bwrap's own monitor process outside the
        // PID namespace; RLIMIT_NPROC counts the same set minus that monitor.
        var pids = (limits.MaxProcesses + 1).ToString(CultureInfo.InvariantCulture);
        if (_layout.Kind == SandboxResourceControl.CgroupV2)
        {
            Write(_memory, "memory.max", memory);
            // Without swap accounting the file is absent; then memory.max is the only cap.
            WriteIfPresent(_memory, "memory.swap.max", "0");
            Write(_pids, "pids.max", pids);
        }
        else
        {
            Write(_memory, "memory.limit_in_bytes", memory);
            // memory+swap must be set after memory (it may not be below it); absent without swap accounting.
            WriteIfPresent(_memory, "memory.memsw.limit_in_bytes", memory);
            Write(_pids, "pids.max", pids);
        }
    }

    private void KillMembers()
    {
        foreach (var directory in Directories)
        {
            foreach (var line in ReadLines(Path.Combine(directory, "cgroup.procs")))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
                {
                    SignalKill(processId);
                }
            }
        }
    }

    private static void SignalKill(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    private bool TryRemove()
    {
        var removed = true;
        foreach (var directory in Directories)
        {
            try
            {
                // A cgroup directory is removed with rmdir even though it lists files.
                Directory.Delete(directory, recursive: false);
            }
            catch (DirectoryNotFoundException)
            {
                // Never created, or removed on an earlier attempt.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                removed = false;
            }
        }

        return removed;
    }

    private static void Write(string directory, string file, string value) =>
        File.WriteAllText(Path.Combine(directory, file), value);

    private static void WriteIfPresent(string directory, string file, string value)
    {
        if (File.Exists(Path.Combine(directory, file)))
        {
            Write(directory, file, value);
        }
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static long? TryReadNumber(string path) =>
        ReadLines(path) is [var first, ..] && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>A "key value" line of a flat-keyed cgroup file such as memory.events; 0 when missing.</summary>
    private static long ReadKeyedValue(string path, string key)
    {
        foreach (var line in ReadLines(path))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return 0;
    }
}
