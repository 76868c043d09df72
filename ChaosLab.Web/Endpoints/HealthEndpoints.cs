using ChaosLab.Web.Hosting;

namespace ChaosLab.Web.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth)
            .ServedAtRoot()
            .WithName("Health")
            .WithSummary("Readiness probe used by OpenEnv clients and the container health check.");
        return endpoints;
    }

    internal static HealthResponse GetHealth() => new("healthy");
}

public sealed record HealthResponse(string Status);
