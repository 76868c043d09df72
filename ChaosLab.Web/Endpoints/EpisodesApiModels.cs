using System.Text.Json;
using System.Text.Json.Serialization;
using ChaosLab.Core.Persistence;

namespace ChaosLab.Web.Endpoints;

/// <summary>A page of <c>GET /api/episodes</c>.</summary>
public sealed record EpisodeListResponse(IReadOnlyList<EpisodeSummary> Items, int Total, int Page, int PageSize);

/// <summary>One episode with every step; also one line of the JSON Lines export.</summary>
/// <param name="Grade">The grade with its answer key, once the episode is over.</param>
public sealed record EpisodeTrajectoryResponse(EpisodeSummary Episode, RawJson? Grade, IReadOnlyList<RecordedStepResponse> Steps)
{
    public static EpisodeTrajectoryResponse From(EpisodeTrajectory trajectory) => new(
        trajectory.Episode,
        RawJson.FromNullable(trajectory.GradeJson),
        [.. trajectory.Steps.Select(RecordedStepResponse.From)]);
}

/// <summary>One step as recorded; the JSON columns are embedded as JSON, not as strings.</summary>
public sealed record RecordedStepResponse(
    int Index,
    RawJson? Action,
    RawJson Observation,
    string? CleanResult,
    string? DeliveredResult,
    RawJson Faults,
    RawJson RewardComponents,
    double Reward,
    bool Done,
    DateTimeOffset EpisodeTime,
    long WallTimeUs,
    string? Error)
{
    public static RecordedStepResponse From(RecordedStep step) => new(
        step.StepIndex,
        RawJson.FromNullable(step.ActionJson),
        new RawJson(step.ObservationJson),
        step.CleanResult,
        step.DeliveredResult,
        new RawJson(step.FaultsJson),
        new RawJson(step.RewardComponentsJson),
        step.Reward,
        step.Done,
        step.EpisodeTime,
        step.WallTimeUs,
        step.Error);
}

/// <summary>
/// JSON the recorder stored, written into a response as it is: no parse and re-serialize per
/// step, which matters when an export streams a million of them.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Json)
{
    public static RawJson? FromNullable(string? json) => json is null ? null : new RawJson(json);
}

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    // Validated: a corrupt row must fail loudly here rather than produce invalid JSON.
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json, skipInputValidation: false);
}
