using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Services.Evaluation;

/// <summary>
/// At start-up, this server starts serving evaluation work: the items it held before a stop (as
/// the same replica id) go back to pending at once (their episodes were recorded as abandoned by
/// the database start-up and never count), and from then on it claims the items of every running
/// run started on any server (dashboard, <c>/api/runs</c>), its share of an interrupted run
/// included. Runs of the command line wait for <c>chaoslab eval --resume</c>. At shutdown it stops
/// the items it plays before the recorder stops, so they go back to pending cleanly.
/// </summary>
internal sealed class EvaluationResumption(EvaluationService evaluations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        evaluations.Serve();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await evaluations.StopAllAsync();
}
