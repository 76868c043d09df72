using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;

namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>How long a session holds its capacity slot.</summary>
public enum SessionLifetime
{
    /// <summary>Until it is closed by its owner (MCP over HTTP, the playground, the seeder) or reaped.</summary>
    UntilClosed,

    /// <summary>A WebSocket owns it: it ends with the socket, and the socket closes it when expired.</summary>
    Socket,

    /// <summary>
    /// One episode (HTTP): the slot is given back when the episode ends; the session stays
    /// readable (<c>/state</c>) until it is reaped.
    /// </summary>
    OneEpisode,
}

/// <summary>
/// A <see cref="RecordedSession"/> as the server hosts it: found again by a secret id, holding
/// a capacity slot, and expired by the reaper.
/// </summary>
public sealed class HostedSession
{
    private readonly SessionRegistry _registry;
    private readonly TaskCompletionSource _expired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holdsSlot = 1;

    internal HostedSession(string id, SessionLifetime lifetime, RecordedSession recorded, SessionRegistry registry)
    {
        Id = id;
        Lifetime = lifetime;
        Recorded = recorded;
        _registry = registry;
    }

    /// <summary>
    /// The session's secret: 122 random bits from the OS's cryptographic generator, never listed
    /// anywhere. Holding it is what controls the session (HTTP's <c>episode_token</c>, MCP's
    /// <c>session_id</c>); the public episode id only lets people view the record.
    /// </summary>
    public string Id { get; }

    public SessionLifetime Lifetime { get; }

    /// <summary>The session's episodes, serialized and recorded.</summary>
    public RecordedSession Recorded { get; }

    public string ClientKind => Recorded.ClientKind;

    public bool OwnedBySocket => Lifetime == SessionLifetime.Socket;

    public ISuite Suite => Recorded.Suite;

    public EpisodeInfo? Episode => Recorded.Episode;

    public bool EpisodeRunning => Recorded.EpisodeRunning;

    /// <summary>Completes when the reaper expires the session; its transport then closes it.</summary>
    public Task Expired => _expired.Task;

    public bool Closed => Recorded.Closed;

    public TimeSpan IdleFor => Recorded.IdleFor;

    public async Task<EnvironmentResult<StepResult>> ResetAsync(ResetRequest request, ISuite suite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GiveBackSlotIfEnded(await Recorded.ResetAsync(suite, request.Options, request.Agent, cancellationToken));
    }

    public async Task<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken) =>
        GiveBackSlotIfEnded(await Recorded.StepAsync(action, cancellationToken));

    public Task<JsonObject> GetStateAsync(CancellationToken cancellationToken) => Recorded.GetStateAsync(cancellationToken);

    internal void Expire() => _expired.TrySetResult();

    /// <summary>True exactly once: the session gives its capacity slot back.</summary>
    internal bool TryGiveUpSlot() => Interlocked.Exchange(ref _holdsSlot, 0) == 1;

    private EnvironmentResult<StepResult> GiveBackSlotIfEnded(EnvironmentResult<StepResult> result)
    {
        if (Lifetime == SessionLifetime.OneEpisode && result.Succeeded && result.Value!.Done)
        {
            _registry.ReleaseSlot(this);
        }

        return result;
    }
}
