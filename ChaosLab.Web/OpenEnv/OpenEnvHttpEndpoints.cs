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
/// returns the public <c>episode_id</c> and a secret <c>episode_token</c>, and <c>/step</c> and
/// <c>/state</c> continue the episode whose token they carry. Only the client that reset an
/// episode holds its token, so nobody who merely sees the episode id (it is listed by
/// <c>/api/episodes</c>) can drive or end it. A step without a token is refused with a 422 that
/// says how to continue, never run on a fresh episode.
/// </summary>
public static class OpenEnvHttpEndpoints
{
    public const string TokenHeader = "X-Episode-Token";

    /// <summary>Names the replica that holds a session, on a 421 and on every /reset reply.</summary>
    public const string ReplicaHeader = "X-ChaosLab-Replica";

    private static readonly string ContinueHint =
        $"ChaosLab keeps HTTP episodes: pass the episode_token returned by /reset (body field 'episode_token', query ?episode_token= or header {TokenHeader}), or use the /ws WebSocket.";

    public static IEndpointRouteBuilder MapOpenEnvHttp(this IEndpointRouteBuilder endpoints)
    {
        var openEnv = endpoints.MapGroup("").ServedAtRoot().WithTags("OpenEnv");

        openEnv.MapPost("/reset", ResetAsync)
            .WithName("Reset")
            .WithSummary("Start an episode; the reply's episode_token continues it over HTTP (episode_id names its public record).")
            .Accepts<ResetBody>("application/json")
            .Produces<StepResponse>()
            .Produces<ValidationProblem>(StatusCodes.Status422UnprocessableEntity)
            .Produces<DetailMessage>(StatusCodes.Status503ServiceUnavailable);
        openEnv.MapPost("/step", StepAsync)
            .WithName("Step")
            .WithSummary("Apply one action (wrapped as {\"action\": {...}}) to the episode whose episode_token is given.")
            .Accepts<StepRequest>("application/json")
            .Produces<StepResponse>()
            .Produces<ValidationProblem>(StatusCodes.Status422UnprocessableEntity)
            .Produces<DetailMessage>(StatusCodes.Status403Forbidden);
        openEnv.MapGet("/state", GetStateAsync)
            .WithName("State")
            .WithSummary("The state of the episode whose episode_token is given (query or header).")
            .Produces<JsonObject>()
            .Produces<ValidationProblem>(StatusCodes.Status422UnprocessableEntity)
            .Produces<DetailMessage>(StatusCodes.Status403Forbidden);
        openEnv.MapGet("/schema", (EnvironmentGateway gateway) => TypedResults.Json(gateway.Schemas(), WebJsonContext.Wire.SchemaResponse))
            .WithName("Schema")
            .WithSummary("JSON Schemas of the action union, the observation and the state.");
        openEnv.MapGet("/metadata", (ServerMetadata metadata) => TypedResults.Json(metadata.Response, WebJsonContext.Wire.MetadataResponse))
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

            var launch = await gateway.StartAsync(document?.RootElement ?? default, ClientKinds.Http, SessionLifetime.OneEpisode, cancellationToken);
            if (launch.ServerFull)
            {
                return TypedResults.Json(new DetailMessage(launch.Message), WebJsonContext.Wire.DetailMessage, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (launch is not { Started: true, Session: { } session })
            {
                return Unprocessable(ValidationIssue.From(launch.Reset.Errors, "body"));
            }

            var reply = StepResponse.From(launch.Reset.Value!, session.Episode!.EpisodeId) with { EpisodeToken = session.Id };
            request.HttpContext.Response.Headers[ReplicaHeader] = gateway.Sessions.Replica;
            return TypedResults.Json(reply, WebJsonContext.Wire.StepResponse);
        }
    }

    internal static async Task<Results<JsonHttpResult<StepResponse>, JsonHttpResult<ValidationProblem>, JsonHttpResult<DetailMessage>>> StepAsync(
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

            var control = FindControlled(request, body, gateway, "body");
            if (control.Session is not { } session)
            {
                return control.Missing is { } missing ? missing : control.Refused!;
            }

            var result = await session.StepAsync(action, cancellationToken);
            if (!result.Succeeded)
            {
                // Errors in the action are located relative to the action, as OpenEnv does.
                return Unprocessable(ValidationIssue.From(result.Errors));
            }

            return TypedResults.Json(StepResponse.From(result.Value!, session.Episode?.EpisodeId), WebJsonContext.Wire.StepResponse);
        }
    }

    internal static async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<ValidationProblem>, JsonHttpResult<DetailMessage>>> GetStateAsync(
        HttpRequest request, EnvironmentGateway gateway, CancellationToken cancellationToken)
    {
        var control = FindControlled(request, default, gateway, "query");
        if (control.Session is not { } session)
        {
            return control.Missing is { } missing ? missing : control.Refused!;
        }

        return TypedResults.Json(await session.GetStateAsync(cancellationToken), WebJsonContext.Wire.JsonObject);
    }

    /// <summary>
    /// The HTTP session whose token the request carries, or the error to answer: 422 when no
    /// token was sent (saying how to continue), 403 when the token controls nothing, or another
    /// episode than the <c>episode_id</c> sent alongside it.
    /// </summary>
    private static Control FindControlled(HttpRequest request, JsonElement body, EnvironmentGateway gateway, string location)
    {
        var token = Read(request, body, "episode_token", TokenHeader);
        var episodeId = Read(request, body, "episode_id", null);
        if (token is null)
        {
            var hint = episodeId is null ? ContinueHint
                : $"Driving episode '{episodeId}' needs the episode_token that its /reset returned; the episode id only lets people view it (GET /api/episodes/{{id}}). " + ContinueHint;
            return new Control(null, Unprocessable(new ValidationIssue("missing", [location, "episode_token"], hint)), null);
        }

        if (gateway.Sessions.HeldElsewhere(token) is { } holder)
        {
            return new Control(null, null, Misdirected(request, holder));
        }

        if (gateway.Sessions.Find(token) is not { ClientKind: ClientKinds.Http } session)
        {
            return new Control(null, null, Forbidden("This episode_token controls no open episode (wrong, or the episode was closed after being idle). Reset to start a new episode."));
        }

        if (episodeId is not null && session.Episode?.EpisodeId != episodeId)
        {
            return new Control(null, null, Forbidden($"This episode_token does not control episode '{episodeId}'."));
        }

        return new Control(session, null, null);
    }

    private readonly record struct Control(HostedSession? Session, JsonHttpResult<ValidationProblem>? Missing, JsonHttpResult<DetailMessage>? Refused);

    private static string? Read(HttpRequest request, JsonElement body, string name, string? header)
    {
        if (body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty(name, out var fromBody)
            && fromBody.ValueKind == JsonValueKind.String
            && fromBody.GetString() is { Length: > 0 } value)
        {
            return value;
        }

        if (request.Query[name].ToString() is { Length: > 0 } fromQuery)
        {
            return fromQuery;
        }

        return header is not null && request.Headers[header].ToString() is { Length: > 0 } fromHeader ? fromHeader : null;
    }

    /// <summary>421: the episode lives in another replica's process; the header names it for a load balancer or a client.</summary>
    private static JsonHttpResult<DetailMessage> Misdirected(HttpRequest request, string holder)
    {
        request.HttpContext.Response.Headers[ReplicaHeader] = holder;
        return TypedResults.Json(
            new DetailMessage($"This episode is held by replica '{holder}', not this one: send its requests there. Behind a load balancer, route by the episode_token's prefix (the text before the last '.'), as deploy/ shows."),
            WebJsonContext.Wire.DetailMessage,
            statusCode: StatusCodes.Status421MisdirectedRequest);
    }

    private static JsonHttpResult<DetailMessage> Forbidden(string message) =>
        TypedResults.Json(new DetailMessage(message), WebJsonContext.Wire.DetailMessage, statusCode: StatusCodes.Status403Forbidden);

    // Serialized with the OpenEnv context itself, so names are snake_case whatever the app's
    // default JSON options are.
    private static JsonHttpResult<ValidationProblem> Unprocessable(params IReadOnlyList<ValidationIssue> issues) =>
        TypedResults.Json(new ValidationProblem(issues), WebJsonContext.Wire.ValidationProblem, statusCode: StatusCodes.Status422UnprocessableEntity);
}
