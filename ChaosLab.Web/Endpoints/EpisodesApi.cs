using ChaosLab.Core.Persistence;
using ChaosLab.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// <c>/api/episodes</c>: browse, open and export recorded episodes. Filters (all optional):
/// suite, task, tier, scenario, agent, outcome, client, min_score, max_score, fault (repeatable,
/// any of), from (inclusive), to (exclusive), q, sort, page, page_size.
/// </summary>
public static class EpisodesApi
{
    public const string NdJson = "application/x-ndjson";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static IEndpointRouteBuilder MapEpisodesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/episodes").ServedAtRoot().WithTags("Episodes");

        api.MapGet("/", ListEpisodesAsync)
            .WithName("ListEpisodes")
            .WithSummary("Episode summaries matching the filters, one page at a time, with the total count.")
            .Produces<EpisodeListResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        api.MapGet("/export", ExportEpisodesAsync)
            .WithName("ExportEpisodes")
            .WithSummary("Every episode matching the filters with all its steps, as JSON Lines (one episode per line), streamed.")
            .Produces(StatusCodes.Status200OK, contentType: NdJson)
            .ProducesValidationProblem();

        api.MapGet("/{id}", GetEpisodeAsync)
            .WithName("GetEpisode")
            .WithSummary("One episode's full trajectory: every step with its action, observation, faults and rewards.")
            .Produces<EpisodeTrajectoryResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<EpisodeListResponse>, ValidationProblem>> ListEpisodesAsync(
        HttpRequest request, EpisodeStore store, EpisodeFilterValues values, CancellationToken cancellationToken)
    {
        var (query, errors) = await ParseAsync(request, values, cancellationToken);
        if (query is null)
        {
            return InvalidQuery(errors);
        }

        var page = await store.SearchAsync(query, cancellationToken);
        return TypedResults.Json(
            new EpisodeListResponse(page.Items, page.Total, page.Page, page.PageSize),
            WebJsonContext.Wire.EpisodeListResponse);
    }

    internal static async Task<Results<JsonHttpResult<EpisodeTrajectoryResponse>, ProblemHttpResult>> GetEpisodeAsync(
        string id, EpisodeStore store, CancellationToken cancellationToken)
    {
        var trajectory = await store.GetTrajectoryAsync(id, cancellationToken);
        return trajectory is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Episode not found",
                detail: $"No episode with id '{id}' has been recorded.")
            : TypedResults.Json(EpisodeTrajectoryResponse.From(trajectory), WebJsonContext.Wire.EpisodeTrajectoryResponse);
    }

    internal static async Task<Results<PushStreamHttpResult, ValidationProblem>> ExportEpisodesAsync(HttpRequest request, EpisodeStore store, EpisodeFilterValues values)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (query, errors) = await ParseAsync(request, values, cancellationToken);
        if (query is null)
        {
            return InvalidQuery(errors);
        }

        return TypedResults.Stream(
            async body =>
            {
                await foreach (var trajectory in store.StreamTrajectoriesAsync(query, cancellationToken))
                {
                    await System.Text.Json.JsonSerializer.SerializeAsync(
                        body, EpisodeTrajectoryResponse.From(trajectory), WebJsonContext.Wire.EpisodeTrajectoryResponse, cancellationToken);
                    await body.WriteAsync(NewLine, cancellationToken);
                }
            },
            NdJson);
    }

    /// <summary>The query, or null with errors: malformed parameters, then values no episode here can have.</summary>
    private static async Task<(EpisodeQuery? Query, Dictionary<string, string[]> Errors)> ParseAsync(
        HttpRequest request, EpisodeFilterValues values, CancellationToken cancellationToken)
    {
        if (EpisodeQueryParser.Parse(request.Query, out var errors) is not { } query)
        {
            return (null, errors);
        }

        errors = await values.CheckAsync(query, cancellationToken);
        return (errors.Count == 0 ? query : null, errors);
    }

    private static ValidationProblem InvalidQuery(Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors,
        title: "Invalid episode query",
        detail: $"Check the parameter{(errors.Count == 1 ? "" : "s")} {string.Join(", ", errors.Keys.Order(StringComparer.Ordinal))}.");
}
