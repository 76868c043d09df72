using ChaosLab.Web.Model.Runs;

namespace ChaosLab.Tests.Web.Runs;

public sealed class HarnessLaneViewModelTests : IAsyncLifetime
{
    private RunFixture _runs = null!;

    public async Task InitializeAsync() => _runs = await RunFixture.StartAsync();

    public async Task DisposeAsync() => await _runs.DisposeAsync();

    [Fact]
    public async Task LoadAsync_EpisodeWithoutTrace_ShowsNothing()
    {
        var lane = new HarnessLaneViewModel(_runs.Traces);

        await lane.LoadAsync("played-over-the-wire");

        Assert.False(lane.HasTrace);
        Assert.Empty(lane.Interventions);
        Assert.Empty(lane.At(1));
    }

    [Fact]
    public async Task LoadAsync_Trace_InterventionsByStepWithLayerTitles()
    {
        await _runs.Traces.SaveAsync("ep-1", null, RunFixture.Trace());
        var lane = new HarnessLaneViewModel(_runs.Traces);

        await lane.LoadAsync("ep-1");

        Assert.True(lane.HasTrace);
        Assert.Equal([("h2", "action realization", "tool name off by case")], lane.At(1).Select(i => (i.Layer, i.LayerTitle, i.Trigger)));
        Assert.Equal(["h4", "h2"], lane.At(2).Select(i => i.Layer));
        Assert.Equal([("h2", 2), ("h4", 1)], lane.PerLayer);
        Assert.Equal([2], lane.CallsBefore(2).Select(c => c.Turn));
    }

    [Fact]
    public async Task LoadAsync_ScriptedAgentsTrace_NoLaneNoConversation()
    {
        await _runs.Traces.SaveAsync("ep-scripted", null, RunFixture.Trace() with { Harness = "none", Conversation = [], ModelCalls = [], Interventions = [] });
        var lane = new HarnessLaneViewModel(_runs.Traces);

        await lane.LoadAsync("ep-scripted");

        Assert.True(lane.HasTrace);
        Assert.False(lane.ShowsLane);
        Assert.False(lane.ShowsConversation);
    }

    [Fact]
    public async Task LoadAsync_HarnessThatNeverIntervened_LaneShown()
    {
        await _runs.Traces.SaveAsync("ep-quiet", null, RunFixture.Trace() with { Interventions = [] });
        var lane = new HarnessLaneViewModel(_runs.Traces);

        await lane.LoadAsync("ep-quiet");

        Assert.True(lane.ShowsLane);
        Assert.True(lane.ShowsConversation);
    }

    [Theory]
    [InlineData("h3", "environment contract")]
    [InlineData("h5", "procedural skills")]
    [InlineData("h9", "h9")]
    public void LayerTitle_KnownAndUnknown(string layer, string title) => Assert.Equal(title, HarnessLaneViewModel.LayerTitle(layer));

    [Fact]
    public void Cap_LongText_CutAtTheCap()
    {
        var text = new string('x', HarnessLaneViewModel.TextCap + 1);

        Assert.Equal((text[..HarnessLaneViewModel.TextCap], true), HarnessLaneViewModel.Cap(text));
        Assert.Equal(("short", false), HarnessLaneViewModel.Cap("short"));
    }
}
