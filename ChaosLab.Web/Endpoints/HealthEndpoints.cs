using System.Text.Json.Serialization;
using ChaosLab.Core.Recording;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.OpenEnv.Sessions;

namespace ChaosLab.Web.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth)
            .ServedAtRoot()
            .WithName("Health")
            .WithSummary("Readiness probe used by OpenEnv clients and the container health check. "
                + "Degraded (still 200) while episodes cannot be recorded, with the reason; names this replica and how full it is.");
        return endpoints;
    }

    internal static HealthResponse GetHealth(IEpisodeRecorder recorder, SessionRegistry sessions)
    {
        var capacity = new HealthSessions(sessions.ActiveSessions, sessions.MaxSessions);
        return recorder.Health switch
        {
            { Healthy: true } => new("healthy", sessions.Replica, capacity),
            var degraded => new("degraded", sessions.Replica, capacity, degraded.Reason ?? "unknown"),
        };
    }
}

/// <param name="Replica">Which replica answered (<c>ChaosLab:ReplicaId</c>).</param>
/// <param name="Sessions">How full this replica is: a load balancer or an operator can steer new episodes away from a full one.</param>
public sealed record HealthResponse(
    string Status,
    string Replica,
    HealthSessions Sessions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>Open sessions of this replica against its capacity (<c>MAX_CONCURRENT_ENVS</c>).</summary>
public sealed record HealthSessions(int Open, int Capacity);
