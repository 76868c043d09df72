using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Services.Evaluation;

/// <summary>
/// At start-up, resumes the runs started on this server (dashboard, <c>/api/runs</c>) that a stop
/// interrupted: the items a dead process was playing go back to pending (their episodes were
/// recorded as abandoned by the database start-up and never count) and each run plays on. Runs
/// of the command line wait for <c>chaoslab eval --resume</c>. At shutdown it stops the playing
/// runs before the recorder stops, so their items go back to pending cleanly.
/// </summary>
internal sealed partial class EvaluationResumption(RunStore runs, EvaluationService evaluations, ILogger<EvaluationResumption> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runId in await runs.RecoverInterruptedAsync(cancellationToken))
        {
            if (await runs.FindAsync(runId, cancellationToken) is { Origin: EvaluationService.OriginWeb or EvaluationService.OriginApi } && evaluations.Start(runId))
            {
                LogResumed(logger, runId);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await evaluations.StopAllAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming evaluation run {RunId}, interrupted by an earlier stop")]
    private static partial void LogResumed(ILogger logger, string runId);
}
