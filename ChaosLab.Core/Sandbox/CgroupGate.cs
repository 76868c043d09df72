using System.Diagnostics;

namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Starts bwrap inside a run's cgroup. .NET cannot start a process in a cgroup, and moving bwrap
/// after it started would race its first forks, so the process starts as a shell that waits for
/// one line on stdin: the server moves it into the cgroup, then sends the line, and only then does
/// it exec bwrap (same PID), so every process of the run is born inside the cgroup. The shell
/// parses only the fixed script below; bwrap's arguments reach it as "$@", never as text.
/// </summary>
internal static class CgroupGate
{
    public const string ShellPath = "/bin/sh";

    /// <summary>
    /// Exits without running anything when stdin closes before the go line (the server gave up).
    /// <c>read</c> consumes stdin byte by byte up to the newline, so the code's own input follows intact.
    /// </summary>
    private const string Script = "read -r _ || exit 125; exec \"$@\"";

    private static readonly byte[] GoLine = "\n"u8.ToArray();

    public static void AddArguments(ICollection<string> arguments, string bubblewrapPath)
    {
        arguments.Add("-c");
        arguments.Add(Script);
        arguments.Add("chaoslab-cgroup-gate");
        arguments.Add(bubblewrapPath);
    }

    /// <summary>Moves the started gate into the cgroup and lets it exec bwrap; the error when that failed (then nothing ran).</summary>
    public static async Task<string?> TryOpenAsync(Process process, RunCgroup cgroup)
    {
        try
        {
            cgroup.Add(process.Id);
            await process.StandardInput.BaseStream.WriteAsync(GoLine);
            await process.StandardInput.BaseStream.FlushAsync();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }
}
