namespace ChaosLab.Core.Persistence;

/// <summary>
/// Held by the one process (the server or the command line) that uses a data directory. Two
/// processes on one store would each take the other's running episodes for a crash's leftovers
/// and end them as abandoned at start-up; the lock turns that into a clear refusal instead. An
/// exclusive open is an advisory lock (flock) on Linux, released by the OS if the process dies.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "chaoslab.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <param name="databasePath">The database file; the lock sits beside it.</param>
    /// <exception cref="DataDirectoryInUseException">Another process holds it.</exception>
    public static DataDirectoryLock Acquire(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new DataDirectoryInUseException(
                $"Another ChaosLab process (a server or a command) is using the data directory {directory}. " +
                "Stop it first or use another data directory (--data-dir, or ChaosLab__DataDirectory); to evaluate on a running server, give the command --server <its address> (the run then plays there and shows live in its dashboard), or start it from /web/runs.",
                ex);
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>The data directory is held by another process; nothing was touched.</summary>
public sealed class DataDirectoryInUseException(string message, Exception inner) : Exception(message, inner);
