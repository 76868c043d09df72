using System.IO.Compression;
using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.Hosting.Authoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// Evaluation runs under <c>/api/runs</c>: list, read, start (one run or an ablation) and cancel.
/// Starting and cancelling spend or stop the operator's model credits, so they need the
/// <see cref="StudioPolicies.Author"/> policy (the admin key, when one is set); reading does not.
/// </summary>
public static partial class RunsApi
{
    /// <summary>Where runs started through this API come from, as recorded with each run.</summary>
    public const string Origin = "api";

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs").ServedAtRoot().WithTags("Evaluation runs");
        var authoring = api.MapGroup("").RequireAuthorization(StudioPolicies.Author);

        api.MapGet("/", ListAsync)
            .WithName("ListRuns")
            .WithSummary("Every evaluation run with its totals (items done, errors, successes, mean score), newest first.")
            .Produces<RunListResponse>(StatusCodes.Status200OK);

        api.MapGet("/{id}", GetAsync)
            .WithName("GetRun")
            .WithSummary("One run's totals and its items in plan order.")
            .Produces<RunResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/items", GetItemsAsync)
            .WithName("GetRunItems")
            .WithSummary("A run's items in plan order: key, status, episode, outcome, score, steps, interventions per harness layer.")
            .Produces<RunItemListResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/files", GetFilesAsync)
            .WithName("GetRunFiles")
            .WithSummary("A finished run's output files as a zip, generated from the store by whichever replica answers: runs.jsonl, error.jsonl, overall.json, run.json and the trajectories with their failure-pattern summary. 409 while the run plays.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        authoring.MapPost("/", CreateAsync)
            .WithName("StartRun")
            .WithSummary("Stores and starts a run of an assignment: {\"assignment\": \"<YAML>\"} or the assignment itself as JSON. Refused with each error's path (422).")
            .Produces<RunResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        authoring.MapPost("/ablations", CreateAblationAsync)
            .WithName("StartAblation")
            .WithSummary("Stores and starts an ablation of an assignment: all harness layers, none, and each layer off in turn (one ablation id).")
            .Produces<RunListResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        authoring.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelRun")
            .WithSummary("Cancels a queued or running run in the store (202), whichever replicas play it: their running items go back to pending (here at once, elsewhere at their next lease renewal). 409 for a run that is over.")
            .Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return endpoints;
    }

    internal static async Task<JsonHttpResult<RunListResponse>> ListAsync(RunStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(new RunListResponse(await store.ListAsync(cancellationToken: cancellationToken)), WebJsonContext.Wire.RunListResponse);

    internal static async Task<Results<JsonHttpResult<RunResponse>, ProblemHttpResult>> GetAsync(string id, RunStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } run
            ? TypedResults.Json(new RunResponse(run, await store.ItemsAsync(id, cancellationToken)), WebJsonContext.Wire.RunResponse)
            : RunNotFound(id);

    internal static async Task<Results<JsonHttpResult<RunItemListResponse>, ProblemHttpResult>> GetItemsAsync(string id, RunStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is not null
            ? TypedResults.Json(new RunItemListResponse(await store.ItemsAsync(id, cancellationToken)), WebJsonContext.Wire.RunItemListResponse)
            : RunNotFound(id);

    /// <remarks>
    /// Generated from the store on demand (the same writers as the output folder a run's last
    /// player writes), so every replica answers for every run, whoever played its items.
    /// </remarks>
    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetFilesAsync(
        string id, RunStore store, RunOutputWriter outputs, TrajectoryExporter exporter, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } run)
        {
            return RunNotFound(id);
        }

        if (!RunStatus.IsFinal(run.Status))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Run still playing",
                detail: $"Run '{id}' is {run.Status}; its files are written when it ends.");
        }

        if (run.Origin == EvaluationService.OriginCli)
        {
            return NoFiles($"Run '{id}' was played by a command line, which wrote its files where its assignment said.");
        }

        var zip = await ZipAsync(id, outputs, exporter, cancellationToken);
        return TypedResults.File(zip, "application/zip", $"{TrajectoryExporter.SafeName(run.Name)}-{id}.zip");
    }

    /// <remarks>
    /// Written into a temporary folder, zipped into a temporary file that deletes itself once the
    /// response is sent: the archive writer writes synchronously to a stream it cannot seek
    /// (Kestrel refuses that), and a long run's files are too large to hold in memory.
    /// </remarks>
    private static async Task<FileStream> ZipAsync(string runId, RunOutputWriter outputs, TrajectoryExporter exporter, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("chaoslab-run-files-");
        var zip = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await outputs.WriteAsync(runId, directory.FullName, cancellationToken);
            await exporter.ExportAsync(runId, directory.FullName, cancellationToken);
            await ZipFile.CreateFromDirectoryAsync(directory.FullName, zip, CompressionLevel.Optimal, includeBaseDirectory: false, cancellationToken);
            zip.Position = 0;
            return zip;
        }
        catch
        {
            await zip.DisposeAsync();
            throw;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static async Task<Results<JsonHttpResult<RunResponse>, ProblemHttpResult>> CancelAsync(
        string id, RunStore store, IEvaluationRuns runs, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } run)
        {
            return RunNotFound(id);
        }

        if (!await runs.CancelAsync(id, cancellationToken))
        {
            var now = await store.FindAsync(id, cancellationToken) ?? run;
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Run over",
                detail: $"Run '{id}' is already {now.Status}.");
        }

        var cancelled = await store.FindAsync(id, cancellationToken) ?? run;
        return TypedResults.Json(new RunResponse(cancelled, await store.ItemsAsync(id, cancellationToken)), WebJsonContext.Wire.RunResponse, statusCode: StatusCodes.Status202Accepted);
    }

    private static ProblemHttpResult NoFiles(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No files", detail: detail);

    private static ProblemHttpResult RunNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Run not found",
        detail: $"No evaluation run with id '{id}'.");
}

/// <summary><c>GET /api/runs</c>, and the runs an ablation started.</summary>
public sealed record RunListResponse(IReadOnlyList<RunSummary> Items);

/// <summary>One run: its totals and its items in plan order.</summary>
public sealed record RunResponse(RunSummary Run, IReadOnlyList<RunItem> Items);

/// <summary><c>GET /api/runs/{id}/items</c>.</summary>
public sealed record RunItemListResponse(IReadOnlyList<RunItem> Items);
