using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>
/// The session base's hook for actions with no <c>type</c>: refused as always unless a suite maps
/// them (the mast suite reads the seed's bare ResilienceConfig as a submission).
/// </summary>
public sealed class UntypedActionHookTests
{
    [Fact]
    public async Task StepAsync_UntypedActionSuiteMapsNone_RefusedWithoutSpendingAStep()
    {
        using var session = new ToySuite("toy").CreateSession();
        session.Reset(new ResetOptions { Seed = 1 });

        var result = await session.StepAsync(Parse("""{"retry_max":3}"""));

        Assert.False(result.Succeeded);
        Assert.Equal("type", result.Errors.Single().Path);
        Assert.Equal(0, session.State["step_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task StepAsync_UntypedActionSuiteMaps_PlayedAsTheMappedActionAndRecordedAsSent()
    {
        using var session = new LegacySession();
        session.Reset(new ResetOptions { Seed = 1 });

        var result = await session.StepAsync(Parse("""{"word":"done"}"""));

        Assert.True(result.Value!.Done);
        Assert.Equal(1.0, result.Value.Grade!.Score);
        Assert.Equal("""{"word":"done"}""", result.Value.Record.Action!.ToJsonString());
        Assert.Equal("""{"word":"done"}""", result.Value.Record.Submission);
    }

    [Theory]
    [InlineData("""{"word":"done","word":"again"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"teleport"}""")]
    public async Task StepAsync_UnreadableOrTypedWrongly_StillRefusedWithoutTheHook(string action)
    {
        using var session = new LegacySession();
        session.Reset(new ResetOptions { Seed = 1 });

        var result = await session.StepAsync(Parse(action));

        Assert.False(result.Succeeded);
        Assert.Equal(0, session.State["step_count"]!.GetValue<int>());
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    /// <summary>A session whose legacy clients send a bare object: it is their submission.</summary>
    private sealed class LegacySession() : EpisodeSession<JsonObject>("legacy", new ToolCatalog([]))
    {
        protected override double StepRewardBound => 0;

        public override EnvironmentResult<StepResult> Reset(ResetOptions options)
        {
            BeginEpisode(new EpisodeInfo("e", "legacy", "t", "easy", "L01", 1, options.Seed, 3));
            return EnvironmentResult<StepResult>.Success(FirstStep(null));
        }

        protected override AgentAction? ActionWithoutType(JsonElement action) => new AgentAction.Submit(JsonNode.Parse(action.GetRawText())!, null);

        protected override ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new StepOutcome(null, "submitted", null, null, [], [], null, ((AgentAction.Submit)action).Text));

        protected override IReadOnlyList<RewardComponent> RefusalRewards(AgentAction.CallTool toolCall, ToolCallRefusal refusal) => [];

        protected override EpisodeGrade GradeEpisode(string? submission, bool stepLimit) =>
            new(submission is not null && submission.Contains("done", StringComparison.Ordinal) ? 1 : 0, "graded", true, [], [], null);

        protected override void AddObservationFields(JsonObject observation, JsonObject fields)
        {
        }
    }
}
