using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// <c>/api/scenarios</c>: every scenario a reset can name (built-in and stored) with the pools a
/// reset that names none draws from, one scenario's document, and each suite's document schema.
/// </summary>
public static class ScenariosApi
{
    public static IEndpointRouteBuilder MapScenariosApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/scenarios").ServedAtRoot().WithTags("Scenarios");

        api.MapGet("/", ListScenariosAsync)
            .WithName("ListScenarios")
            .WithSummary("Every scenario (the version a reset plays), optionally of one suite, and the pools per task and tier that a reset without scenario_id draws from by its seed.")
            .Produces<ScenarioListResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        api.MapGet("/schema", GetSchema)
            .WithName("GetScenarioSchema")
            .WithSummary("The JSON Schema a suite's scenario documents follow.")
            .Produces<JsonObject>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        api.MapGet("/{id}", GetScenarioAsync)
            .WithName("GetScenario")
            .WithSummary("One scenario's document: the latest version, or ?version=.")
            .Produces<JsonObject>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<ScenarioListResponse>, ValidationProblem>> ListScenariosAsync(
        string? suite, ScenarioLibrary library, SuiteCatalog suites, CancellationToken cancellationToken)
    {
        if (suite is not null && suites.Find(suite) is null)
        {
            return UnknownSuite(suite, suites);
        }

        var documents = await library.ListAsync(suite, cancellationToken);
        var pools = suites.Suites.Where(s => suite is null || string.Equals(s.Name, suite, StringComparison.OrdinalIgnoreCase)).SelectMany(ScenarioPool.Describe);
        return TypedResults.Json(
            new ScenarioListResponse([.. documents.Select(ScenarioSummary.From)], [.. pools]),
            WebJsonContext.Wire.ScenarioListResponse);
    }

    internal static Results<ContentHttpResult, ValidationProblem> GetSchema(string? suite, ScenarioLibrary library, SuiteCatalog suites)
    {
        if (suite is null || library.Format(suite) is not { } format)
        {
            return UnknownSuite(suite, suites);
        }

        return TypedResults.Content(format.Schema.ToJsonString(), "application/schema+json");
    }

    internal static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetScenarioAsync(
        string id, string? version, ScenarioLibrary library, CancellationToken cancellationToken)
    {
        int? number = null;
        if (version is not null)
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["version"] = [$"'{version}' is not a version: use a whole number from 1"] },
                    title: "Invalid scenario query");
            }

            number = parsed;
        }

        var document = await library.FindAsync(id, number, cancellationToken);
        return document is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Scenario not found",
                detail: number is null ? $"No scenario has the id '{id}'." : $"Scenario '{id}' has no version {number}.")
            : TypedResults.Content(document.Content.GetRawText(), "application/json");
    }

    private static ValidationProblem UnknownSuite(string? suite, SuiteCatalog suites) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>
        {
            ["suite"] = [$"{(suite is null ? "a suite is required" : $"unknown suite '{suite}'")}; suites: {string.Join(", ", suites.Suites.Select(s => s.Name))}"],
        },
        title: "Invalid scenario query");
}
