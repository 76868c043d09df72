using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChaosLab.Core.Environment;
using ChaosLab.Web.Endpoints;
using ChaosLab.Web.OpenEnv;

namespace ChaosLab.Web;

/// <summary>
/// The web host's one source-generated JSON context: the OpenEnv surface (HTTP bodies and
/// WebSocket frames), the REST API and the recorder's JSON columns read back for the replay.
/// snake_case names, compact output, nulls kept (OpenEnv sends <c>"reward": null</c>; a
/// scenario pool's null filter means "any").
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StepResponse))]
[JsonSerializable(typeof(ValidationProblem))]
[JsonSerializable(typeof(DetailMessage))]
[JsonSerializable(typeof(MetadataResponse))]
[JsonSerializable(typeof(SchemaResponse))]
[JsonSerializable(typeof(StepRequest))]
[JsonSerializable(typeof(ResetBody))]
[JsonSerializable(typeof(ObservationFrame))]
[JsonSerializable(typeof(StateFrame))]
[JsonSerializable(typeof(McpFrame))]
[JsonSerializable(typeof(ErrorFrame))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(IReadOnlyList<ValidationIssue>))]
[JsonSerializable(typeof(EpisodeListResponse))]
[JsonSerializable(typeof(EpisodeTrajectoryResponse))]
[JsonSerializable(typeof(CurriculumListResponse))]
[JsonSerializable(typeof(CurriculumResponse))]
[JsonSerializable(typeof(ScenarioListResponse))]
[JsonSerializable(typeof(ScenarioSummary))]
[JsonSerializable(typeof(DraftResponse))]
[JsonSerializable(typeof(ValidationResponse))]
[JsonSerializable(typeof(VersionListResponse))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(EpisodeGrade))]
[JsonSerializable(typeof(IReadOnlyList<FaultDecision>))]
[JsonSerializable(typeof(IReadOnlyList<RewardComponent>))]
[JsonSerializable(typeof(RunListResponse))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(RunItemListResponse))]
internal sealed partial class WebJsonContext : JsonSerializerContext
{
    /// <summary>
    /// What the server writes with: <see cref="Default"/>'s settings, but text stays readable
    /// (<c>last year's</c>, not <c>last year\u0027s</c>; <c>+</c>, not <c>\u002B</c>). The
    /// default encoder escapes HTML-sensitive characters in case JSON is pasted into a page;
    /// these bodies are only ever served as <c>application/json</c> (or WebSocket text frames)
    /// and never embedded in HTML, so the relaxed encoder is safe here. It still escapes control
    /// characters, quotes and backslashes, so the output is always valid JSON.
    /// </summary>
    public static WebJsonContext Wire => WireContext.Instance;

    // A nested holder, so the generated Default exists before this copies its settings.
    private static class WireContext
    {
        public static readonly WebJsonContext Instance = new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
