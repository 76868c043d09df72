using System.Text.Json.Serialization;
using ChaosLab.Core.Recording;
using ChaosLab.Web.Hosting;

namespace ChaosLab.Web.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth)
            .ServedAtRoot()
            .WithName("Health")
            .WithSummary("Readiness probe used by OpenEnv clients and the container health check. "
                + "Degraded (still 200) while episodes cannot be recorded, with the reason.");
        return endpoints;
    }

    internal static HealthResponse GetHealth(IEpisodeRecorder recorder) => recorder.Health switch
    {
        { Healthy: true } => new("healthy"),
        var degraded => new("degraded", degraded.Reason ?? "unknown"),
    };
}

public sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);
