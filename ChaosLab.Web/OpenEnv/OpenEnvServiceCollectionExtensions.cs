using ChaosLab.Web.Hosting;
using ChaosLab.Web.OpenEnv.Mcp;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChaosLab.Web.OpenEnv;

public static class OpenEnvServiceCollectionExtensions
{
    /// <summary>OpenEnv's variable for the session limit, honoured when <c>ChaosLab:MaxSessions</c> is not set.</summary>
    public const string MaxSessionsVariable = "MAX_CONCURRENT_ENVS";

    public static IServiceCollection AddOpenEnv(this IServiceCollection services)
    {
        services.AddOptions<OpenEnvOptions>()
            .BindConfiguration(Core.ChaosLabOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (configuration[$"{Core.ChaosLabOptions.SectionName}:{nameof(OpenEnvOptions.MaxSessions)}"] is null
                    && int.TryParse(configuration[MaxSessionsVariable], System.Globalization.CultureInfo.InvariantCulture, out var max))
                {
                    options.MaxSessions = max;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<EnvironmentGateway>();
        services.AddSingleton<McpDispatcher>();
        services.AddSingleton<ServerMetadata>();
        services.AddHostedService<SessionReaper>();

        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJsonContext.Wire);
            // problem+json bodies too: readable text, for the reason given on WebJsonContext.Wire.
            options.SerializerOptions.Encoder = WebJsonContext.Wire.Options.Encoder;
        });
        services.AddOpenApi(options => options.AddDocumentTransformer((document, context, _) =>
        {
            var server = context.ApplicationServices.GetRequiredService<Services.ServerInfo>();
            document.Info = new OpenApiInfo
            {
                Title = "ChaosLab",
                Version = server.Version,
                Description = "OpenEnv-compatible environment server (HTTP routes; the episode WebSocket is WS /ws).",
            };
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication UseOpenEnv(this WebApplication app)
    {
        app.MapOpenEnvHttp();
        app.MapOpenEnvSockets();
        app.MapMcpHttp();
        app.MapOpenApi("/openapi.json").ServedAtRoot();
        return app;
    }
}
