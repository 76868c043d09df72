using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// OpenEnv's HTTP routes. Unlike stock OpenEnv, episodes are stateful over HTTP: <c>/reset</c>
/// returns an <c>episode_id</c> that <c>/step</c> and <c>/state</c> continue, and a step that names
/// no episode is refused with a 422 saying how to continue, never run on a fresh episode.
/// </summary>
public static class OpenEnvHttpEndpoints
{
    public const string EpisodeHeader = "X-Episode-Id";

    private static readonly string ContinueHint =
        $"ChaosLab keeps HTTP episodes: pass the episode_id returned by /reset (body field 'episode_id', query ?episode_id= or header {EpisodeHeader}), or use the /ws WebSocket.";

    public static IEndpointRouteBuilder MapOpenEnvHttp(this IEndpointRouteBuilder endpoints)
    {
        var openEnv = endpoints.MapGroup("").ServedAtRoot().WithTags("OpenEnv");

        openEnv.MapPost("/reset", ResetAsync)
            .WithName("Reset")
            .WithSummary("Start an episode; the reply's episode_id continues it over HTTP.")
            .Accepts<ResetBody>("application/json")
            .Produces<StepResponse>()
            .Produces<ValidationProblem>(StatusCodes.Status422UnprocessableEntity)
            .Produces<DetailMessage>(StatusCodes.Status503ServiceUnavailable);
        openEnv.MapPost("/step", StepAsync)
            .WithName("Step")
            .WithSummary("Apply one action (wrapped as {\"action\": {...}}) to the episode named by episode_id.")
            .Accepts<StepRequest>("application/json")
            .Produces<StepResponse>()
            .Produces<ValidationProblem>(StatusCodes.Status422UnprocessableEntity);
        openEnv.MapGet("/state", GetStateAsync)
            .WithName("State")
            .WithSummary("The full state of the episode named by episode_id (query or header).")
            .Produces<JsonObject>()
            .Produces<ValidationProblem>(StatusCodes.Status422UnprocessableEntity);
        openEnv.MapGet("/schema", (EnvironmentGateway gateway) => TypedResults.Json(gateway.Schemas(), OpenEnvJsonContext.Default.SchemaResponse))
            .WithName("Schema")
            .WithSummary("JSON Schemas of the action union, the observation and the state.");
        openEnv.MapGet("/metadata", (ServerMetadata metadata) => TypedResults.Json(metadata.Response, OpenEnvJsonContext.Default.MetadataResponse))
            .WithName("Metadata")
            .WithSummary("Name, description, version, author, documentation URL and README of this environment.");
        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<StepResponse>, JsonHttpResult<ValidationProblem>, JsonHttpResult<DetailMessage>>> ResetAsync(
        HttpRequest request, EnvironmentGateway gateway, IOptions<OpenEnvOptions> options, CancellationToken cancellationToken)
    {
        var (document, issue) = await JsonBody.ReadAsync(request, options.Value.MaxMessageBytes, cancellationToken);
        using (document)
        {
            if (issue is not null)
            {
                return Unprocessable(issue);
            }

            var prepared = await gateway.PrepareResetAsync(document?.RootElement ?? default, cancellationToken);
            if (!prepared.Succeeded)
            {
                return Unprocessable(ValidationIssue.From(prepared.Errors, "body"));
            }

            var (reset, suite) = prepared.Value;
            if (gateway.Sessions.TryOpen(ClientKinds.Http, suite) is not { } session)
            {
                return TypedResults.Json(new DetailMessage(gateway.Sessions.CapacityMessage), OpenEnvJsonContext.Default.DetailMessage, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var result = await session.ResetAsync(reset, suite, cancellationToken);
            if (!result.Succeeded)
            {
                await gateway.Sessions.CloseAsync(session, "reset refused");
                return Unprocessable(ValidationIssue.From(result.Errors, "body"));
            }

            gateway.Sessions.IndexEpisode(session);
            if (result.Value!.Done)
            {
                gateway.Sessions.ReleaseSlot(session);
            }

            return TypedResults.Json(StepResponse.From(result.Value, session.Episode!.EpisodeId), OpenEnvJsonContext.Default.StepResponse);
        }
    }

    internal static async Task<Results<JsonHttpResult<StepResponse>, JsonHttpResult<ValidationProblem>>> StepAsync(
        HttpRequest request, EnvironmentGateway gateway, IOptions<OpenEnvOptions> options, CancellationToken cancellationToken)
    {
        var (document, issue) = await JsonBody.ReadAsync(request, options.Value.MaxMessageBytes, cancellationToken);
        using (document)
        {
            if (issue is not null)
            {
                return Unprocessable(issue);
            }

            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Unprocessable(new ValidationIssue(document is null ? "missing" : "dict_type", ["body"],
                    document is null ? "A JSON body {\"action\": {...}, \"episode_id\": ...} is required." : "Input should be a valid dictionary."));
            }

            var body = document.RootElement;
            if (!body.TryGetProperty("action", out var action))
            {
                return Unprocessable(new ValidationIssue("missing", ["body", "action"], "Field required"));
            }

            if (action.ValueKind != JsonValueKind.Object)
            {
                return Unprocessable(new ValidationIssue("dict_type", ["body", "action"], "Input should be a valid dictionary (the action object)."));
            }

            if (ReadEpisodeId(request, body) is not { } episodeId)
            {
                return Unprocessable(new ValidationIssue("missing", ["body", "episode_id"], ContinueHint));
            }

            if (gateway.Sessions.FindByEpisode(episodeId) is not { } session)
            {
                return Unprocessable(new ValidationIssue("value_error", ["body", "episode_id"],
                    $"No open episode '{episodeId}' (unknown, or closed after being idle). Reset to start a new episode."));
            }

            var result = await session.StepAsync(action, cancellationToken);
            if (!result.Succeeded)
            {
                // Errors in the action are located relative to the action, as OpenEnv does.
                return Unprocessable(ValidationIssue.From(result.Errors));
            }

            if (result.Value!.Done)
            {
                gateway.Sessions.ReleaseSlot(session);
            }

            return TypedResults.Json(StepResponse.From(result.Value, episodeId), OpenEnvJsonContext.Default.StepResponse);
        }
    }

    internal static async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<ValidationProblem>>> GetStateAsync(
        HttpRequest request, EnvironmentGateway gateway, CancellationToken cancellationToken)
    {
        if (ReadEpisodeId(request, default) is not { } episodeId)
        {
            return Unprocessable(new ValidationIssue("missing", ["query", "episode_id"], ContinueHint));
        }

        if (gateway.Sessions.FindByEpisode(episodeId) is not { } session)
        {
            return Unprocessable(new ValidationIssue("value_error", ["query", "episode_id"],
                $"No open episode '{episodeId}' (unknown, or closed after being idle)."));
        }

        return TypedResults.Json(await session.GetStateAsync(cancellationToken), OpenEnvJsonContext.Default.JsonObject);
    }

    private static string? ReadEpisodeId(HttpRequest request, JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("episode_id", out var fromBody)
            && fromBody.ValueKind == JsonValueKind.String)
        {
            return fromBody.GetString();
        }

        var fromQuery = request.Query["episode_id"].ToString();
        if (fromQuery.Length > 0)
        {
            return fromQuery;
        }

        var fromHeader = request.Headers[EpisodeHeader].ToString();
        return fromHeader.Length > 0 ? fromHeader : null;
    }

    // Serialized with the OpenEnv context itself, so names are snake_case whatever the app's
    // default JSON options are.
    private static JsonHttpResult<ValidationProblem> Unprocessable(params IReadOnlyList<ValidationIssue> issues) =>
        TypedResults.Json(new ValidationProblem(issues), OpenEnvJsonContext.Default.ValidationProblem, statusCode: StatusCodes.Status422UnprocessableEntity);
}
