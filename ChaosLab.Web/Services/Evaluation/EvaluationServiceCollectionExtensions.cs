using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Services.Evaluation;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>
    /// Evaluation runs: the runner, its sealed episodes through the gateway, output files and
    /// trajectory export. The server adds <see cref="EvaluationResumption"/> (after the database
    /// start-up); the command line resumes its own runs when asked.
    /// </summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddOptions<EvaluationOptions>().BindConfiguration(EvaluationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IEvaluationEpisodes, GatewayEvaluationEpisodes>();
        services.AddSingleton<EvaluationAgentFactory>();
        services.AddSingleton<RunOutputWriter>();
        services.AddSingleton<TrajectoryExporter>();
        services.AddSingleton<EvaluationService>();
        services.AddSingleton<IEvaluationRuns>(provider => provider.GetRequiredService<EvaluationService>());
        return services;
    }
}
