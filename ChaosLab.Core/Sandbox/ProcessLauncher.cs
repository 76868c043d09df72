using System.Diagnostics;
using System.Threading.Channels;

namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Starts processes from one dedicated thread that lives as long as the server. bwrap's
/// <c>--die-with-parent</c> is <c>PR_SET_PDEATHSIG</c>, which fires when the parent THREAD
/// exits: started from a thread-pool thread, a sandbox is SIGKILLed whenever the pool retires
/// that thread, at a random moment of a healthy run.
/// </summary>
internal sealed class ProcessLauncher
{
    private readonly Channel<(Process Process, TaskCompletionSource Started)> _requests =
        Channel.CreateUnbounded<(Process, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "ChaosLab sandbox launcher" };
        thread.Start();
    }

    public static ProcessLauncher Shared { get; } = new();

    public Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_requests.Writer.TryWrite((process, started)))
        {
            started.SetException(new InvalidOperationException("The sandbox launcher has stopped."));
        }

        return started.Task;
    }

    private void Run()
    {
        var reader = _requests.Reader;
        // Blocking is the point: this thread must never return to a pool or exit.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var request))
            {
                try
                {
                    request.Process.Start();
                    request.Started.SetResult();
                }
#pragma warning disable CA1031 // Any start failure belongs to the caller awaiting this request.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    request.Started.SetException(ex);
                }
            }
        }
    }
}
