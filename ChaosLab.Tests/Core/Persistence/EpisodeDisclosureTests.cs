using ChaosLab.Core.Persistence;

namespace ChaosLab.Tests.Core.Persistence;

public sealed class EpisodeDisclosureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sealed", null)]
    [InlineData("practice", 77L)]
    public void Summary_Running_HidesFiredFaultsAndASealedSeed(string mode, long? seed)
    {
        var disclosed = EpisodeDisclosure.Summary(Summary(mode, endedAt: null));

        Assert.Empty(disclosed.FaultKinds);
        Assert.Equal(seed, disclosed.Seed);
    }

    [Fact]
    public void Summary_Ended_Everything()
    {
        var ended = Summary("sealed", Now);

        Assert.Same(ended, EpisodeDisclosure.Summary(ended));
    }

    [Fact]
    public void Trajectory_Running_StepsAsTheAgentSawThemAndNoGrade()
    {
        var trajectory = new EpisodeTrajectory(Summary("sealed", endedAt: null), """{"answer_key":{}}""", [Step()]);

        var disclosed = EpisodeDisclosure.Trajectory(trajectory);

        var step = Assert.Single(disclosed.Steps);
        Assert.Null(disclosed.GradeJson);
        Assert.Null(step.CleanResult);
        Assert.Equal("[]", step.FaultsJson);
        Assert.Equal("[]", step.RewardComponentsJson);
        Assert.Equal(("""{"type":"call_tool"}""", """{"result":"delivered"}""", "delivered", 0.25, "timeout"),
            (step.ActionJson, step.ObservationJson, step.DeliveredResult, step.Reward, step.Error));
    }

    [Fact]
    public void Trajectory_Ended_TheFullRecord()
    {
        var trajectory = new EpisodeTrajectory(Summary("sealed", Now), """{"answer_key":{}}""", [Step()]);

        Assert.Same(trajectory, EpisodeDisclosure.Trajectory(trajectory));
    }

    private static EpisodeSummary Summary(string mode, DateTimeOffset? endedAt) => new(
        "ep", "tools", "task1", "warmup", "W01", 1, 77, "agent", "ws", mode, Now, endedAt, endedAt is null ? null : "correct",
        endedAt is null ? null : 1, endedAt is null ? null : true, null, 2, 6, "Q?", null, null, ["timeout"]);

    private static RecordedStep Step() => new()
    {
        EpisodeId = "ep",
        StepIndex = 1,
        ActionJson = """{"type":"call_tool"}""",
        ObservationJson = """{"result":"delivered"}""",
        CleanResult = "clean",
        DeliveredResult = "delivered",
        FaultsJson = """[{"kind":"timeout","fired":true,"reason":"designated bad retrieval path"}]""",
        RewardComponentsJson = """[{"name":"new_fact","value":0.03}]""",
        Reward = 0.25,
        Error = "timeout",
    };
}
