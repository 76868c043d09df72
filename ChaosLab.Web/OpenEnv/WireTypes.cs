using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChaosLab.Core.Environment;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// Reply to reset and step: OpenEnv's <c>{"observation","reward","done"}</c>, plus ChaosLab's
/// <c>episode_id</c> (public: it names the episode's record) and, in the reply to an HTTP
/// <c>/reset</c> only, the <c>episode_token</c> that controls the episode.
/// </summary>
public sealed record StepResponse(
    JsonObject Observation,
    double? Reward,
    bool Done,
    string? EpisodeId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EpisodeToken = null)
{
    public static StepResponse From(StepResult result, string? episodeId) => new(result.Observation, result.Reward, result.Done, episodeId);
}

/// <summary>One problem with a request, in the shape FastAPI/pydantic use (<c>type</c>, <c>loc</c>, <c>msg</c>).</summary>
public sealed record ValidationIssue(
    string Type,
    IReadOnlyList<string> Loc,
    string Msg,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ValidValues = null)
{
    /// <param name="prefix">Where the checked value sits in the request, e.g. <c>["body"]</c>.</param>
    public static IReadOnlyList<ValidationIssue> From(IReadOnlyList<ValidationError> errors, params IReadOnlyList<string> prefix) =>
        [.. errors.Select(e => new ValidationIssue(
            e.ValidValues is null ? "value_error" : "enum",
            [.. prefix, .. e.Path.Length == 0 ? [] : e.Path.Split('.')],
            e.Message,
            e.ValidValues))];
}

/// <summary>The body of every 422 on the OpenEnv HTTP routes.</summary>
public sealed record ValidationProblem(IReadOnlyList<ValidationIssue> Detail);

/// <summary>The body of 404/405 on the OpenEnv routes: <c>{"detail":"Not Found"}</c>.</summary>
public sealed record DetailMessage(string Detail);

public sealed record MetadataResponse(
    string Name,
    string Description,
    string Version,
    string Author,
    string DocumentationUrl,
    string ReadmeContent,
    IReadOnlyList<string> Suites);

/// <summary>What <c>/schema</c> returns: JSON Schemas of the action, observation and state.</summary>
public sealed record SchemaResponse(JsonObject Action, JsonObject Observation, JsonObject State);

/// <summary>The wrapped action of <c>POST /step</c>, for the OpenAPI document.</summary>
public sealed record StepRequest(JsonObject Action, string? EpisodeToken, string? EpisodeId, double? TimeoutS, string? RequestId);

/// <summary>Reset parameters, for the OpenAPI document.</summary>
public sealed record ResetBody(string? Suite, string? TaskId, string? Tier, string? ScenarioId, long? Seed, string? EpisodeId, string? Agent, string? AgentKey, string? Mode);

// ---- WebSocket frames ----

public sealed record ObservationFrame(StepResponse Data)
{
    [JsonPropertyOrder(-1)]
    public string Type => "observation";
}

public sealed record StateFrame(JsonObject Data)
{
    [JsonPropertyOrder(-1)]
    public string Type => "state";
}

public sealed record McpFrame(JsonNode? Data)
{
    [JsonPropertyOrder(-1)]
    public string Type => "mcp";
}

public sealed record ErrorFrame(ErrorFrameData Data)
{
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}

public sealed record ErrorFrameData(
    string Message,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ValidationIssue>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ActiveSessions = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxSessions = null);

/// <summary>The error codes of OpenEnv's <c>/ws</c> protocol.</summary>
public static class WsErrorCodes
{
    public const string InvalidJson = "INVALID_JSON";
    public const string UnknownType = "UNKNOWN_TYPE";
    public const string ValidationError = "VALIDATION_ERROR";
    public const string ExecutionError = "EXECUTION_ERROR";
    public const string CapacityReached = "CAPACITY_REACHED";
    public const string FactoryError = "FACTORY_ERROR";
    public const string SessionError = "SESSION_ERROR";
}
