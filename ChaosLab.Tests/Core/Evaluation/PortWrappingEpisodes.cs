using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>Real evaluation episodes whose port the test changes (to hold, refuse or fail the agent's steps).</summary>
public sealed class PortWrappingEpisodes(IEvaluationEpisodes inner, Func<IEnvironmentPort, IEnvironmentPort> wrap) : IEvaluationEpisodes
{
    public bool HasFreeSession => inner.HasFreeSession;

    public async Task<IEvaluationEpisode?> StartAsync(RunItemSpec item, string evaluation, string episodeId, string agent, CancellationToken cancellationToken) =>
        await inner.StartAsync(item, evaluation, episodeId, agent, cancellationToken) is { } episode ? new Episode(episode, wrap(episode.Port)) : null;

    private sealed class Episode(IEvaluationEpisode inner, IEnvironmentPort port) : IEvaluationEpisode
    {
        public string EpisodeId => inner.EpisodeId;

        public IEnvironmentPort Port => port;

        public StepResult? Final => inner.Final;

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>
/// Lets the first <paramref name="free"/> episodes play; every later one waits before its first
/// step until <see cref="Open"/> (or its cancellation). <see cref="Held"/> completes once
/// <paramref name="held"/> episodes wait at once.
/// </summary>
public sealed class Gate(int free, int held)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _heldCount = held;
    private int _episodes;
    private int _waiting;

    public int Waiting => Volatile.Read(ref _waiting);

    public Task Held => _held.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Open() => _open.TrySetResult();

    public IEnvironmentPort Wrap(IEnvironmentPort port) =>
        Interlocked.Increment(ref _episodes) <= free ? port : new HeldPort(port, this);

    private sealed class HeldPort(IEnvironmentPort inner, Gate gate) : IEnvironmentPort
    {
        private bool _passed;

        public AgentStep First => inner.First;

        public async Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken)
        {
            if (!_passed)
            {
                if (Interlocked.Increment(ref gate._waiting) >= gate._heldCount)
                {
                    gate._held.TrySetResult();
                }

                try
                {
                    await gate._open.Task.WaitAsync(cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref gate._waiting);
                }

                _passed = true;
            }

            return await inner.StepAsync(action, cancellationToken);
        }
    }
}
