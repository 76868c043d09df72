using System.Diagnostics;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Tests.Core.Sandbox;

/// <summary>Checks on real sandbox runs, made from outside the sandbox.</summary>
internal static class SandboxAssert
{
    public static void Outcome(SandboxOutcome expected, SandboxResult actual) =>
        Assert.True(actual.Outcome == expected,
            $"expected {expected}, got {actual.Outcome} (exit {actual.ExitCode}, {actual.Elapsed.TotalMilliseconds:F0} ms)\nstdout: {actual.Stdout}\nstderr: {actual.Stderr}");

    /// <summary>
    /// The name of the run cgroup of the sandboxed process that holds <paramref name="markerPath"/>
    /// open (a path inside the sandbox), as the host sees it; polls until the run has opened it.
    /// </summary>
    public static async Task<string> RunCgroupNameAsync(string markerPath)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc").Where(dir => int.TryParse(Path.GetFileName(dir), out _)))
            {
                if (HoldsOpen(dir, markerPath))
                {
                    var cgroups = SafeReadLines(Path.Combine(dir, "cgroup"));
                    var run = cgroups.FirstOrDefault(line => line.Contains("/chaoslab-run-", StringComparison.Ordinal))
                        ?? throw new Xunit.Sdk.XunitException($"the sandboxed process is in no run cgroup: {string.Join(" | ", cgroups)}");
                    return Path.GetFileName(run);
                }
            }

            // The run opens the marker on its own schedule; there is no event to await from outside.
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no sandboxed process opened {markerPath}");
    }

    private static bool HoldsOpen(string procDirectory, string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(Path.Combine(procDirectory, "fd"))
                .Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The sandboxed code runs as "python3 main.py"; nothing of that kind may outlive its run.</summary>
    public static async Task NoSandboxedPythonLeftAsync()
    {
        var deadline = Stopwatch.StartNew();
        List<string> left;
        do
        {
            left = [.. Directory.EnumerateDirectories("/proc")
                .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
                .Where(dir => ReadCommandLine(dir).Contains("\0main.py", StringComparison.Ordinal))];
            if (left.Count == 0)
            {
                return;
            }

            // The kernel reaps killed processes on its own schedule and raises no event a test can
            // await, so this one wait polls /proc, bounded at 2 s.
            await Task.Delay(50);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(2));

        var details = left.Take(3).Select(dir => string.Join(' ', SafeReadLines(Path.Combine(dir, "status"))
            .Where(line => line.StartsWith("State", StringComparison.Ordinal) || line.StartsWith("PPid", StringComparison.Ordinal)
                || line.StartsWith("NSpid", StringComparison.Ordinal) || line.StartsWith("Uid", StringComparison.Ordinal))));
        Assert.Fail($"{left.Count} sandboxed processes survived their run: {string.Join(" | ", details)}");
    }

    private static string[] SafeReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline"));
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
