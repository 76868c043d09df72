using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Replicas;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Evaluation;

/// <summary>
/// A server plays on the runs of any server that a stop interrupted (taking its own items back at
/// once when restarted under the same replica id), and leaves the command line's to it.
/// </summary>
public sealed class EvaluationResumptionTests : IDisposable
{
    private const string Yaml = """
        name: resumed
        agent: reference:naive
        tasks: [{ suite: tools, scenarios: [W01, W02, W03] }]
        concurrency: 2
        """;

    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Start_WebRunLeftRunningByAStoppedServer_PlayedToTheEndWithItsOutputFiles()
    {
        string webRun, cliRun;
        using (var first = new Server(_data.Path, poll: "00:01:00"))
        {
            webRun = await LeaveRunningAsync(first, EvaluationService.OriginWeb);
            cliRun = await LeaveRunningAsync(first, EvaluationService.OriginCli);
        }

        using var second = new Server(_data.Path);
        var runs = second.Services.GetRequiredService<IEvaluationRuns>();
        var store = second.Services.GetRequiredService<RunStore>();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The last event of a run comes once it has stopped playing; subscribed first, it cannot be missed.
        using (runs.Subscribe(p => { if (p.Run.Id == webRun && p.Item is null && !runs.IsActive(webRun) && RunStatus.IsFinal(p.Run.Status)) { ended.TrySetResult(); } }))
        {
            if (!runs.IsActive(webRun) && RunStatus.IsFinal((await store.FindAsync(webRun))!.Status))
            {
                ended.TrySetResult();
            }

            await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var web = (await store.FindAsync(webRun))!;
        Assert.Equal((RunStatus.Completed, 3, 0, 0), (web.Status, web.Done, web.Pending, web.Running));
        var output = Path.Combine(_data.Path, "runs", webRun);
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(output, RunOutputWriter.RunsFile))).Length);

        var cli = (await store.FindAsync(cliRun))!;
        Assert.Equal((RunStatus.Running, 0, 3, 0), (cli.Status, cli.Done, cli.Pending, cli.Running));
        Assert.False(runs.IsActive(cliRun));
    }

    public void Dispose() => _data.Dispose();

    /// <summary>A run as a dead process of this replica leaves it: running, one item leased to it by an episode that will never finish.</summary>
    private static async Task<string> LeaveRunningAsync(Server server, string origin)
    {
        var runs = server.Services.GetRequiredService<IEvaluationRuns>();
        var store = server.Services.GetRequiredService<RunStore>();
        var replica = server.Services.GetRequiredService<ReplicaIdentity>().Id;
        var parsed = AssignmentFile.Parse(Yaml, null);
        var run = (await runs.CreateAsync(parsed.Value! with { Output = origin == EvaluationService.OriginCli ? Path.Combine(Path.GetTempPath(), "unused") : null }, origin)).Value!;
        Assert.True(await store.ResumeAsync(run.Id));
        Assert.True(await store.StartItemAsync(run.Id, "tools/W01/1/1", "episode-of-a-dead-process", replica));
        return run.Id;
    }

    /// <param name="poll">The first server looks for work only at its start: the runs set up in it are left for the second.</param>
    private sealed class Server(string dataDirectory, string poll = "00:00:01") : ChaosLabAppFactory(new Dictionary<string, string>
    {
        ["ChaosLab:DataDirectory"] = dataDirectory,
        ["ChaosLab:Evaluation:PollInterval"] = poll,
    });
}
