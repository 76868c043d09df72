using ChaosLab.Core.Telemetry;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace ChaosLab.Web.Hosting.Telemetry;

/// <summary>
/// What an operator scrapes: ChaosLab's meter (<see cref="ChaosLabTelemetry.Metrics"/>) with
/// ASP.NET Core's, Kestrel's and the runtime's, in Prometheus text at <c>/metrics</c> on the root.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Met by everyone without an admin key, else only by a request bearing it (as authoring).</summary>
    public const string ReaderPolicy = "MetricsReader";

    /// <summary>The framework's own meters worth a dashboard: request rates and durations, connections, GC and thread pool.</summary>
    private static readonly string[] FrameworkMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static IServiceCollection AddChaosLabMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddChaosLabTelemetry();
        services.AddSingleton<ISessionCounts>(provider => provider.GetRequiredService<SessionRegistry>());
        services.AddSingleton<ChaosLabGauges>();
        services.AddHostedService<WorkItemCountRefresher>();
        services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, policy => policy.AddRequirements(new AuthorRequirement()));
        // No cached scrape: a scraper every few seconds costs nothing to serve fresh, and a stale
        // answer (the exporter's default keeps one for 300 ms) would hide what just happened.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryMeterProvider((provider, builder) =>
        {
            // Off, the provider subscribes to nothing, so no measurement is aggregated for nobody.
            if (provider.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
            {
                provider.GetRequiredService<ChaosLabGauges>();
                builder.AddMeter([ChaosLabTelemetry.MeterName, .. FrameworkMeters]);
            }
        });
        return services;
    }

    /// <summary>Maps <c>/metrics</c> when metrics are on; off, the path is not found like any other.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(Path)
                .ServedAtRoot()
                .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
                .RequireAuthorization(ReaderPolicy)
                .WithDisplayName("Metrics");
        }

        return app;
    }
}
