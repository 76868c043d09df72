using System.Runtime.InteropServices;

namespace ChaosLab.ReplicaLoad;

/// <summary>
/// Everything a run starts (PostgreSQL, the replicas, HAProxy) and its temporary directory, stopped
/// newest first however the run ends: normally, by an exception, or by Ctrl+C / SIGTERM, which
/// would otherwise leave a PostgreSQL server and two replicas running.
/// </summary>
internal sealed class RunResources : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Stack<(string Name, IAsyncDisposable Resource)> _started = new();
    private readonly PosixSignalRegistration[] _signals;
    private Task? _stopping;

    public RunResources()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("chaoslab-replica-load-").FullName;

        // Created private (0700); the postgres user must reach its cluster folder inside.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        _signals = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
    }

    /// <summary>The run's temporary directory: the database cluster, the replicas' data directories, HAProxy's configuration.</summary>
    public string Directory { get; }

    public T Track<T>(string name, T resource) where T : IAsyncDisposable
    {
        lock (_gate)
        {
            _started.Push((name, resource));
        }

        return resource;
    }

    /// <summary>Stops everything once: a signal's handler and the run unwinding after it share the same stop.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopping ??= StopAllAsync();
        }

        return new ValueTask(_stopping);
    }

    private async Task StopAllAsync()
    {
        while (Next() is var (name, resource))
        {
            try
            {
                await resource.DisposeAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // Keep stopping the rest; say what may still be running.
                Console.Error.WriteLine($"Stopping {name} failed: {ex.Message}");
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Could not delete {Directory}: {ex.Message}");
        }
    }

    private (string, IAsyncDisposable)? Next()
    {
        lock (_gate)
        {
            return _started.TryPop(out var next) ? next : null;
        }
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping everything the run started...");
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        Environment.Exit(130);
    }
}
