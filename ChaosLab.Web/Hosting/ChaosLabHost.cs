using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Retention;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Core.Recording;
using ChaosLab.Web.Components;
using ChaosLab.Web.Endpoints;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Hosting.Telemetry;
using ChaosLab.Web.Model;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.Services;
using ChaosLab.Web.Services.Evaluation;
using Microsoft.AspNetCore.Routing.Matching;

namespace ChaosLab.Web.Hosting;

/// <summary>Service registration and the request pipeline, kept out of <c>Program.cs</c>.</summary>
public static class ChaosLabHost
{
    /// <summary>Port 8000 on every interface: what a Hugging Face Space and the README expect.</summary>
    public const string DefaultUrls = "http://*:8000";

    /// <summary>The server: the engine, the OpenEnv transports, the REST API and the dashboard.</summary>
    public static IServiceCollection AddChaosLab(this IServiceCollection services)
    {
        services.AddChaosLabEngine();
        services.AddSingleton<ServerInfo>();
        services.AddHostedService<StartupAnnouncement>();
        services.AddSingleton<RequestRateMonitor>();
        services.AddSingleton<EpisodeFilterValues>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<RetentionService>();
        services.AddProblemDetails();

        services.AddOptions<SeedingOptions>().BindConfiguration($"{ChaosLabOptions.SectionName}:Seeding").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SeedingProgress>();
        services.AddHostedService<ReferenceEpisodeSeeder>();
        services.AddHostedService<EvaluationResumption>();

        services.AddSingleton<MatcherPolicy, PathBaseMatcherPolicy>();
        services.AddSingleton<RootRouteMethods>();
        services.AddOptions<WebUiOptions>().BindConfiguration(WebUiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The dashboard's framing policy is CSP frame-ancestors (WebUiOptions); the antiforgery
        // system's X-Frame-Options: SAMEORIGIN would refuse every other origin regardless.
        services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
        services.AddSharedKeyRing();
        services.AddAuthoring();
        services.AddChaosLabMetrics();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddScoped<StatusViewModel>();
        services.AddScoped<LeaderboardViewModel>();
        services.AddScoped<EpisodesViewModel>();
        services.AddScoped<AnalyticsViewModel>();
        services.AddScoped<CurriculaViewModel>();
        services.AddScoped<CurriculumViewModel>();
        services.AddScoped<CompareViewModel>();
        services.AddScoped<EpisodePairViewModel>();
        services.AddScoped<ReplayViewModel>();
        services.AddScoped<PlaygroundViewModel>();
        services.AddScoped<Model.Studio.ScenarioListViewModel>();
        services.AddScoped<Model.Studio.ScenarioPageViewModel>();
        services.AddSingleton<Model.Runs.RunAgentCatalog>();
        services.AddScoped<Model.Runs.RunsViewModel>();
        services.AddScoped<Model.Runs.RunPageViewModel>();
        services.AddScoped<Model.Runs.RunCompareViewModel>();
        services.AddScoped<Model.Runs.HarnessLaneViewModel>();
        services.AddDashboardShell();
        return services;
    }

    /// <summary>
    /// What plays and records episodes, with no HTTP: the suites, the store (brought up to date and
    /// its recorder running as hosted services), the scenarios, the integrity rules and the episode
    /// gateway. The server adds its transports and dashboard; the command line runs on this alone.
    /// </summary>
    public static IServiceCollection AddChaosLabEngine(this IServiceCollection services)
    {
        services.AddOptions<ChaosLabOptions>()
            .BindConfiguration(ChaosLabOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddCodeSandbox();
        services.AddOptions<BubblewrapSandboxOptions>().BindConfiguration(BubblewrapSandboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddToolsSuite();
        services.AddSingleton<IScenarioFormat, ToolsScenarioFormat>();
        services.AddMastSuite();
        services.AddSingleton<IScenarioFormat>(_ => new MastScenarioFormat(MastSuite.Rehearsing));
        services.AddGauntletSuite();
        services.AddSingleton<IScenarioFormat>(GauntletSuiteServiceCollectionExtensions.ScenarioFormat);
        services.AddSingleton<SuiteCatalog>();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.AddChaosLabPersistence();
        services.AddScenarios();
        services.AddChaosLabIntegrity();
        services.AddOptions<IntegrityOptions>().BindConfiguration(IntegrityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<DatabaseStartup>();
        services.AddChaosLabRecording();
        services.AddOptions<RecordingOptions>().BindConfiguration($"{ChaosLabOptions.SectionName}:Recording");
        services.AddHostedService<RecordingLifetime>();
        services.AddHostedService<Services.Replicas.ReplicaFeedRelay>();
        services.AddHostedService<Services.Replicas.ScenarioChangeRelay>();
        services.AddHostedService<Services.Replicas.ReplicaHeartbeat>();
        services.AddOpenEnv();
        services.AddEvaluation();
        return services;
    }

    public static WebApplication UseChaosLab(this WebApplication app)
    {
        // A Space (or any TLS-terminating proxy) forwards HTTPS as HTTP; its X-Forwarded-Proto is
        // what makes the sign-in cookie Secure. Only the scheme is taken from the header: a client
        // claiming HTTPS over plain HTTP only restricts its own cookie.
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        app.UseForwardedHeaders(forwarded);
        app.UseApiErrors();
        app.UseWebUiRedirects();
        app.UseStatusCodePages(OpenEnvStatusPages.WriteAsync);
        // A person who mistypes a dashboard address gets the dashboard's not-found page, not JSON.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(WebUi.PathBase),
            web => web.UseStatusCodePagesWithReExecute(WebUi.PathBase + "/not-found", createScopeForStatusCodePages: true));
        app.UsePathBase(WebUi.PathBase);
        // Keep-alive is set per connection by the OpenEnv socket endpoints, from OpenEnvOptions.
        app.UseWebSockets();
        app.UseRouting();
        app.UseMiddleware<RequestRateMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthEndpoints();
        app.MapMetrics();
        app.UseOpenEnv();
        app.MapEpisodesApi();
        app.MapScenariosApi();
        app.MapScenarioStudioApi();
        app.MapCurriculaApi();
        app.MapRunsApi();
        app.MapSignIn();
        app.MapWebUi();
        return app;
    }

    /// <summary>
    /// Listens on <paramref name="urls"/> unless the caller chose addresses or ports itself
    /// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, Kestrel endpoints).
    /// </summary>
    public static IWebHostBuilder UseDefaultUrls(this IWebHostBuilder builder, string urls)
    {
        var configured = builder.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 }
            || builder.GetSetting(WebHostDefaults.HttpPortsKey) is { Length: > 0 }
            || builder.GetSetting(WebHostDefaults.HttpsPortsKey) is { Length: > 0 };
        return configured ? builder : builder.UseUrls(urls);
    }
}
