using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Model.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChaosLab.Web.Endpoints;

/// <summary>Starting runs: the body's assignment read, checked against what this server allows, stored and started.</summary>
public static partial class RunsApi
{
    internal static async Task<Results<JsonHttpResult<RunResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, IEvaluationRuns runs, RunAgentCatalog agents, RunStore store, CancellationToken cancellationToken)
    {
        var assignment = await ReadAssignmentAsync(request, agents, cancellationToken);
        if (assignment.Problem is { } problem)
        {
            return problem;
        }

        var created = await runs.CreateAsync(assignment.Value!, Origin, cancellationToken);
        if (!created.Succeeded)
        {
            return Invalid(created.Errors, created.ErrorKind);
        }

        var run = created.Value!;
        runs.Start(run.Id);
        request.HttpContext.Response.Headers.Location = RunLocation(run.Id);
        return TypedResults.Json(new RunResponse(run, await store.ItemsAsync(run.Id, cancellationToken)), WebJsonContext.Wire.RunResponse, statusCode: StatusCodes.Status201Created);
    }

    internal static async Task<Results<JsonHttpResult<RunListResponse>, ProblemHttpResult>> CreateAblationAsync(HttpRequest request, IEvaluationRuns runs, RunAgentCatalog agents, CancellationToken cancellationToken)
    {
        var assignment = await ReadAssignmentAsync(request, agents, cancellationToken);
        if (assignment.Problem is { } problem)
        {
            return problem;
        }

        var created = await runs.CreateAblationAsync(assignment.Value!, Origin, cancellationToken);
        if (!created.Succeeded)
        {
            return Invalid(created.Errors, created.ErrorKind);
        }

        foreach (var run in created.Value!)
        {
            runs.Start(run.Id);
        }

        // The runs of an ablation have no address of their own together; the first (all layers) stands for them.
        request.HttpContext.Response.Headers.Location = RunLocation(created.Value![0].Id);
        return TypedResults.Json(new RunListResponse(created.Value!), WebJsonContext.Wire.RunListResponse, statusCode: StatusCodes.Status201Created);
    }

    // Serialized with the wire context (snake_case), as every /api reply; TypedResults.Created
    // would use the host's default JSON options.

    /// <summary>
    /// The assignment of the body: <c>{"assignment": "&lt;YAML text&gt;"}</c>, or the assignment
    /// itself as a JSON object (JSON is YAML, so both are read by the one assignment reader and
    /// report their errors with the same paths).
    /// </summary>
    private static async Task<(Assignment? Value, ProblemHttpResult? Problem)> ReadAssignmentAsync(HttpRequest request, RunAgentCatalog agents, CancellationToken cancellationToken)
    {
        var body = await ScenarioStudioApi.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            // The body reader answers only with problems (400 not JSON, 413 too large).
            return (null, (ProblemHttpResult)problem);
        }

        if (body.Value.ValueKind != JsonValueKind.Object)
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid assignment",
                detail: "The body is {\"assignment\": \"<YAML text>\"} or the assignment as a JSON object."));
        }

        var text = body.Value.TryGetProperty("assignment", out var yaml) && body.Value.EnumerateObject().Count() == 1
            ? yaml.ValueKind == JsonValueKind.String ? yaml.GetString()! : null
            : body.Value.GetRawText();
        if (text is null)
        {
            return (null, Invalid([new ValidationError("assignment", "'assignment' is the assignment's YAML text, a string.")], EnvironmentErrorKind.Validation));
        }

        var parsed = AssignmentFile.Parse(text, baseDirectory: null);
        if (!parsed.Succeeded)
        {
            return (null, Invalid(parsed.Errors, parsed.ErrorKind));
        }

        var assignment = agents.ForServer(parsed.Value!);
        return agents.Refusal(assignment.Agent) is { } refusal
            ? (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Model runs not allowed here", detail: refusal))
            : (assignment, null);
    }

    private static string RunLocation(string id) => "/api/runs/" + Uri.EscapeDataString(id);

    /// <summary>A 422 with every error under its path, or a 409 for an assignment that is valid but cannot run now.</summary>
    private static ProblemHttpResult Invalid(IReadOnlyList<ValidationError> errors, EnvironmentErrorKind kind) => kind == EnvironmentErrorKind.State
        ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Run refused", detail: string.Join(" ", errors.Select(e => e.Message)))
        : TypedResults.Problem(new HttpValidationProblemDetails(
            errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(Message).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid assignment",
            Detail = errors.Count == 1 ? errors[0].Message : $"The assignment has {errors.Count} errors.",
        });

    private static string Message(ValidationError error) =>
        error.ValidValues is { Count: > 0 } valid ? $"{error.Message} Valid values: {string.Join(", ", valid)}." : error.Message;
}
