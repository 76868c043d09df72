using ChaosLab.Core.Curriculum;
using ChaosLab.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChaosLab.Web.Endpoints;

/// <summary><c>/api/curricula</c>: the curricula training clients named at reset, and each one's tier decisions.</summary>
public static class CurriculaApi
{
    public static IEndpointRouteBuilder MapCurriculaApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/curricula").ServedAtRoot().WithTags("Curricula");

        api.MapGet("/", ListCurriculaAsync)
            .WithName("ListCurricula")
            .WithSummary("Every curriculum: its suite, current tier, rules and rolling success at that tier.")
            .Produces<CurriculumListResponse>(StatusCodes.Status200OK);

        api.MapGet("/{name}", GetCurriculumAsync)
            .WithName("GetCurriculum")
            .WithSummary("One curriculum and its tier decisions in order, each with the reason and its episode's outcome.")
            .Produces<CurriculumResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    internal static async Task<JsonHttpResult<CurriculumListResponse>> ListCurriculaAsync(CurriculumStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(new CurriculumListResponse(await store.ListAsync(cancellationToken)), WebJsonContext.Wire.CurriculumListResponse);

    internal static async Task<Results<JsonHttpResult<CurriculumResponse>, ProblemHttpResult>> GetCurriculumAsync(
        string name, CurriculumStore store, CancellationToken cancellationToken)
    {
        if (CurriculumNames.Problem(name) is { } problem)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid curriculum name", detail: problem);
        }

        return await store.FindAsync(name, cancellationToken) is { } progress
            ? TypedResults.Json(new CurriculumResponse(progress.State, progress.Steps), WebJsonContext.Wire.CurriculumResponse)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Curriculum not found",
                detail: $"No reset has named curriculum '{name}' yet; a reset with \"curriculum\": \"{name}\" creates it.");
    }
}

/// <summary><c>GET /api/curricula</c>.</summary>
public sealed record CurriculumListResponse(IReadOnlyList<CurriculumState> Items);

/// <summary><c>GET /api/curricula/{name}</c>: the curriculum and its decisions, oldest first (the newest <see cref="CurriculumStore.MaxProgressSteps"/>).</summary>
public sealed record CurriculumResponse(CurriculumState Curriculum, IReadOnlyList<CurriculumStep> Steps);
