using System.Text.Json.Nodes;
using ChaosLab.Core.Evaluation;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>The output folder of a run: AgentBench-shaped result files and the trajectory export.</summary>
public sealed class RunOutputTests
{
    [Fact]
    public async Task RunAsync_WithOutput_WritesRunsOverallRunAndErrorFiles()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var run = await bench.CreateAsync("""
            name: outputs
            agent: reference:resilient
            tasks: [{ suite: tools, scenarios: [W01, B01] }]
            seeds: 2
            output: out
            """);

        var summary = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        var folder = Path.Combine(bench.DataDirectory, "out");
        var lines = (await File.ReadAllLinesAsync(Path.Combine(folder, RunOutputWriter.RunsFile))).Select(l => JsonNode.Parse(l)!).ToList();
        var items = await bench.Runs.ItemsAsync(run.Id);
        Assert.Equal(items.Select(i => i.Key), lines.Select(l => (string)l["key"]!));
        Assert.Equal([0, 1, 2, 3], lines.Select(l => (int)l["index"]!));
        var first = lines[0];
        Assert.Null(first["error"]);
        Assert.Equal(("tools", "task1", "warmup", "W01", 1, 1, items[0].EpisodeId, "resilient"), (
            (string)first["info"]!["suite"]!, (string)first["info"]!["task"]!, (string)first["info"]!["tier"]!, (string)first["info"]!["scenario"]!,
            (int)first["info"]!["seed_index"]!, (int)first["info"]!["trial"]!, (string?)first["info"]!["episode_id"], (string)first["info"]!["agent"]!));
        Assert.Equal(("completed", items[0].Score, items[0].Outcome, items[0].Steps), (
            (string)first["output"]!["status"]!, (double?)first["output"]!["result"]!["score"], (string?)first["output"]!["result"]!["outcome"], (int?)first["output"]!["result"]!["steps"]));
        Assert.Empty(first["output"]!["history"]!.AsArray());
        Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(folder, RunOutputWriter.ErrorsFile)));

        var overall = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, RunOutputWriter.OverallFile)))!;
        Assert.Equal((4, 4, 0, 0), ((int)overall["total"]!, (int)overall["validation"]!["completed"]!, (int)overall["validation"]!["agent error"]!, (int)overall["validation"]!["pending"]!));
        Assert.Equal(Math.Round(summary.MeanScore!.Value, 6), (double)overall["custom"]!["mean_score"]!, 9);
        Assert.Equal(2, (int)overall["custom"]!["by_tier"]!["tools/beginner"]!["n"]!);
        Assert.Equal(4, (int)overall["custom"]!["by_suite"]!["tools"]!["n"]!);

        Assert.Equal(run.Id, await RunOutputWriter.ReadRunIdAsync(folder));
        Assert.Equal("completed", (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, RunOutputWriter.RunFile)))!["status"]!);
    }

    [Fact]
    public async Task RunAsync_CancelledThenResumed_EachItemListedOnce()
    {
        var gate = new Gate(free: 1, held: 2);
        await using var bench = await EvaluationBench.StartAsync(wrapEpisodes: inner => new PortWrappingEpisodes(inner, gate.Wrap));
        var run = await bench.CreateAsync("""
            name: resumed-outputs
            agent: reference:naive
            tasks: [{ suite: tools, scenarios: [W01, W02, W03, W04] }]
            concurrency: 2
            output: out
            """);
        var playing = bench.Service.RunAsync(run.Id, null, CancellationToken.None);
        await gate.Held;
        await bench.Service.CancelAsync(run.Id);
        await playing;
        var folder = Path.Combine(bench.DataDirectory, "out");
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(folder, RunOutputWriter.RunsFile)));
        Assert.Equal(3, (int)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, RunOutputWriter.OverallFile)))!["validation"]!["pending"]!);

        gate.Open();
        await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        var keys = (await File.ReadAllLinesAsync(Path.Combine(folder, RunOutputWriter.RunsFile))).Select(l => (string)JsonNode.Parse(l)!["key"]!).ToList();
        Assert.Equal(["tools/W01/1/1", "tools/W02/1/1", "tools/W03/1/1", "tools/W04/1/1"], keys);
    }

    [Fact]
    public async Task RunAsync_WithOutput_ExportsReadmeSummaryAndOneTrajectoryPerItemWithoutHiddenFields()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var run = await bench.CreateAsync("""
            name: export
            agent: reference:naive
            tasks: [{ suite: tools, tiers: [warmup] }]
            output: out
            """);

        await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        var folder = Path.Combine(bench.DataDirectory, "out");
        var items = await bench.Runs.ItemsAsync(run.Id);
        foreach (var file in new[] { TrajectoryExporter.ReadmeFile, TrajectoryExporter.SummaryJsonFile, TrajectoryExporter.SummaryMarkdownFile })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        var trajectory = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, TrajectoryExporter.TrajectoriesFolder, "tools_W01_1_1.json")))!;
        Assert.Equal(("tools/W01/1/1", "task1", items[0].Steps), ((string)trajectory["key"]!, (string)trajectory["task"]!["task_id"]!, trajectory["steps"]!.AsArray().Count));
        Assert.Equal(1, (int)trajectory["steps"]![0]!["step"]!);
        Assert.NotNull(trajectory["steps"]![0]!["observation"]!["kind"]);
        var text = await File.ReadAllTextAsync(Path.Combine(folder, TrajectoryExporter.TrajectoriesFolder, "tools_W01_1_1.json"));
        Assert.DoesNotContain("answer_key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("clean_result", text, StringComparison.Ordinal);
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, TrajectoryExporter.SummaryJsonFile)))!;
        Assert.Equal(items.Count, (int)summary["overall"]!["items"]!);
        Assert.Equal(items.Count, (int)summary["by_tier"]!["tools/warmup"]!["items"]!);
        Assert.NotNull(summary["overall"]!["patterns"]![TrajectoryExporter.PrematureSubmission]!["rate"]);
    }
}
