using System.Globalization;

namespace ChaosLab.Core.Sandbox;

/// <summary>
/// The bwrap command line for one run. Every piece is a separate argv entry handed to
/// <c>execve</c>: no shell parses it, and user code only ever reaches the sandbox as a file.
/// </summary>
internal static class BubblewrapArguments
{
    /// <summary>Where the code and the input files appear, and the process's working directory.</summary>
    public const string WorkingDirectory = "/tmp";

    public const string CodeFileName = "main.py";

    /// <summary>The uid and gid the code sees: fixed, so <c>os.getuid()</c> is the same on every machine.</summary>
    private const string SandboxId = "65534";

    /// <summary>
    /// Debian 12 is merged-/usr: these are symlinks into /usr and are recreated as symlinks; on a
    /// split layout the real directories are bound read-only instead.
    /// </summary>
    private static readonly string[] RootLinks = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    public static IReadOnlyList<string> Build(
        BubblewrapSandboxOptions options,
        SandboxLimits limits,
        string stagingDirectory,
        IEnumerable<string> inputFileNames)
    {
        var tmpfsBytes = options.TmpfsBytes.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            // Network, PID, IPC, UTS, cgroup and user namespaces. --unshare-user is explicit so that
            // a root server never gets a sandbox in the host's user namespace.
            "--unshare-all", "--unshare-user", "--disable-userns",
            "--uid", SandboxId, "--gid", SandboxId, "--hostname", "sandbox",
            // Without this, bwrap started by root keeps every capability inside the sandbox.
            "--cap-drop", "ALL",
            "--die-with-parent", "--new-session",
            "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
            "--setenv", "HOME", WorkingDirectory,
            "--setenv", "PYTHONHASHSEED", "0",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            // Output written before a kill at a limit still reaches the caller.
            "--setenv", "PYTHONUNBUFFERED", "1",
            "--setenv", "LANG", "C.UTF-8",
            "--ro-bind", "/usr", "/usr",
        };

        foreach (var link in RootLinks)
        {
            var info = new FileInfo(link);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, link]);
            }
            else if (Directory.Exists(link))
            {
                args.AddRange(["--ro-bind", link, link]);
            }
        }

        args.AddRange(
        [
            "--proc", "/proc",
            "--dev", "/dev",
            // tmpfs lives in RAM and is not counted by RLIMIT_AS, so both writable mounts are sized.
            "--size", tmpfsBytes, "--tmpfs", WorkingDirectory,
            "--size", tmpfsBytes, "--tmpfs", "/dev/shm",
            "--ro-bind", Path.Combine(stagingDirectory, CodeFileName), $"{WorkingDirectory}/{CodeFileName}",
        ]);

        foreach (var name in inputFileNames)
        {
            args.AddRange(["--ro-bind", Path.Combine(stagingDirectory, name), $"{WorkingDirectory}/{name}"]);
        }

        // bwrap's root is a tmpfs the sandbox user owns: without this the code could create files
        // in "/" (uncounted by the tmpfs size limits below it).
        args.AddRange(["--remount-ro", "/", "--chdir", WorkingDirectory, "--"]);

        // Limits are applied by util-linux prlimit INSIDE the sandbox, between bwrap and python:
        // - after bwrap has created the user namespace, so RLIMIT_NPROC counts only this sandbox's
        //   processes (the kernel keeps process counts per user namespace) instead of every thread
        //   of the server's account, which would make a limit of 16 unusable;
        // - before the interpreter starts, so nothing the user writes runs unlimited, and without a
        //   Python launcher that would add frames to tracebacks or a second interpreter start-up;
        // - through argv, not a `sh -c 'ulimit ...'` string, so nothing is parsed by a shell.
        // The CPU soft limit sends SIGXCPU, the hard limit one second later SIGKILL (if caught).
        var cpuSeconds = (long)Math.Ceiling(limits.CpuTime.TotalSeconds);
        args.AddRange(
        [
            options.PrlimitPath,
            Invariant($"--cpu={cpuSeconds}:{cpuSeconds + 1}"),
            Invariant($"--as={limits.MemoryBytes}"),
            Invariant($"--nproc={limits.MaxProcesses}"),
            Invariant($"--fsize={limits.MaxFileBytes}"),
            "--core=0",
            "--",
            options.PythonPath,
            CodeFileName,
        ]);

        return args;
    }

    private static string Invariant(FormattableString value) => FormattableString.Invariant(value);
}
