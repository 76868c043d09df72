using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class EpisodePairViewModelTests
{
    private static readonly string[] SameStart =
    [
        """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"1+1"}}""",
    ];

    [Fact]
    public async Task Load_TwoRecordedEpisodes_AlignsStepsAndFindsWhereTheyPartWays()
    {
        await using var harness = await RecordingHarness.StartAsync();
        var left = await PlayAsync(harness.Recorder, "left-ep", [.. SameStart, """{"type":"call_tool","tool_name":"scratchpad_write","arguments":{"key":"a","value":"b"}}"""]);
        var right = await PlayAsync(harness.Recorder, "right-ep", [.. SameStart, """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"2*3"}}""", """{"type":"list_tools"}"""]);
        var model = new EpisodePairViewModel(harness.Store);

        await model.LoadAsync(left, right);

        Assert.Equal(LoadState.Ready, model.State);
        // Reset + steps: 3 on the left, 4 on the right (each ends with its submit).
        Assert.Equal(5, model.Rows.Count);
        Assert.False(model.Rows[0].Differs);
        Assert.False(model.Rows[1].Differs);
        Assert.True(model.Rows[2].Differs);
        Assert.Equal(2, model.FirstDivergence);
        Assert.Null(model.Rows[4].Left);
        Assert.NotNull(model.Rows[4].Right);
    }

    [Fact]
    public async Task Load_UnknownEpisode_FailedStateNamingIt()
    {
        await using var harness = await RecordingHarness.StartAsync();
        var model = new EpisodePairViewModel(harness.Store);

        await model.LoadAsync("nope-1", "nope-2");

        Assert.Equal(LoadState.Failed, model.State);
        Assert.Contains("nope-1", model.Error, StringComparison.Ordinal);
    }

    private static async Task<string> PlayAsync(IEpisodeRecorder recorder, string episodeId, string[] actions)
    {
        using var session = new ToolsSuite().CreateSession();
        var reset = session.Reset(new ResetOptions { Seed = 5, EpisodeId = episodeId }).Value!;
        recorder.EpisodeStarted(new EpisodeStart(session.Episode!, "pair-test", "ws", DateTimeOffset.UtcNow), reset);
        foreach (var action in actions.Append("""{"type":"submit_answer","answer":"unknown"}"""))
        {
            using var document = System.Text.Json.JsonDocument.Parse(action);
            var step = (await session.StepAsync(document.RootElement)).Value!;
            await recorder.StepRecordedAsync(episodeId, step, TimeSpan.Zero);
        }

        return episodeId;
    }
}
