using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Evaluation;

namespace ChaosLab.Tests.Core.Evaluation;

public sealed class OpenEnvTranscriptTests
{
    private static readonly JsonObject Observation = new() { ["kind"] = "tool_result" };

    [Fact]
    public void WriteEpisode_StepsWithRefusalAndObservationError_ExactLines()
    {
        var output = new StringWriter();
        var transcript = new OpenEnvTranscript(output);

        transcript.WriteEpisode("W01", "qwen2.5-7b", [
            ("""{"type":"call_tool","tool_name":"knowledge_base_lookup","arguments":{"query":"x"}}""", new AgentStep(new JsonObject { ["error"] = "timeout after 30s" }, -0.05, false, null, 1)),
            ("""{"type":"bogus"}""", new AgentStep(Observation, 0, false, "type: Unknown action\ntype 'bogus'.", 1)),
            ("""{"type":"submit_answer","answer":"42"}""", new AgentStep(Observation, 1, true, null, 2)),
        ], success: true, score: 1);

        Assert.Equal("""
            [START] task=W01 env=chaoslab model=qwen2.5-7b
            [STEP] step=1 action={"type":"call_tool","tool_name":"knowledge_base_lookup","arguments":{"query":"x"}} reward=-0.05 done=false error=timeout after 30s
            [STEP] step=1 action={"type":"bogus"} reward=0.00 done=false error=type: Unknown action type 'bogus'.
            [STEP] step=2 action={"type":"submit_answer","answer":"42"} reward=1.00 done=true error=null
            [END] success=true steps=2 score=1.00 rewards=-0.05,0.00,1.00

            """.ReplaceLineEndings("\n"), output.ToString());
    }

    [Fact]
    public void WriteEpisode_FailedBeforeAnyStep_StillEnds()
    {
        var output = new StringWriter();

        new OpenEnvTranscript(output).WriteEpisode("W02", "m", [], success: false, score: 0);

        Assert.Equal("[START] task=W02 env=chaoslab model=m\n[END] success=false steps=0 score=0.00 rewards=\n", output.ToString());
    }

    [Fact]
    public async Task RunAsync_Concurrency3WithTranscript_OneContiguousBlockPerEpisode()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var run = await bench.CreateAsync("""
            name: transcript
            agent: reference:resilient
            tasks: [{ suite: tools, tiers: [warmup] }]
            concurrency: 3
            """);
        var output = new StringWriter();

        var summary = await bench.Service.RunAsync(run.Id, null, new OpenEnvTranscript(output), CancellationToken.None);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var blocks = new List<List<string>>();
        foreach (var line in lines)
        {
            if (line.StartsWith("[START]", StringComparison.Ordinal))
            {
                blocks.Add([line]);
            }
            else
            {
                blocks[^1].Add(line);
            }
        }

        Assert.Equal(summary.Total, blocks.Count);
        Assert.All(blocks, b =>
        {
            Assert.StartsWith("[END] ", b[^1], StringComparison.Ordinal);
            Assert.All(b[1..^1], l => Assert.StartsWith("[STEP] ", l, StringComparison.Ordinal));
            Assert.Contains("done=true", b[^2], StringComparison.Ordinal);
        });
        var items = await bench.Runs.ItemsAsync(run.Id);
        Assert.Equal(
            items.Select(i => $"{i.ScenarioId} score={i.Score!.Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}").Order(),
            blocks.Select(b => $"{b[0].Split(' ')[1]["task=".Length..]} {b[^1].Split(' ')[3]}").Order());
    }
}
