using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChaosLab.Core.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ChaosLabMetrics"/> (over the host's meter factory) and
    /// <see cref="EvaluationWorkItemCounts"/>. <see cref="ChaosLabGauges"/> also needs an
    /// <see cref="ISessionCounts"/>, which only a server has; the server registers both.
    /// </summary>
    public static IServiceCollection AddChaosLabTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ChaosLabMetrics>();
        services.TryAddSingleton<EvaluationWorkItemCounts>();
        return services;
    }
}
