using System.Text.Json;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.Hosting.Authoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// Authoring under <c>/api/scenarios</c>: drafts (create, clone, edit, save, discard), publishing,
/// versions, validation. Everything that changes a scenario needs the
/// <see cref="StudioPolicies.Author"/> policy (the admin key, when one is set); reading does not.
/// </summary>
public static class ScenarioStudioApi
{
    /// <summary>Largest scenario document accepted in one request body.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>Who the API records as author: this header's value, else the key's holder.</summary>
    public const string AuthorHeader = "X-ChaosLab-Author";

    public static IEndpointRouteBuilder MapScenarioStudioApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/scenarios").ServedAtRoot().WithTags("Scenario studio");
        var authoring = api.MapGroup("").RequireAuthorization(StudioPolicies.Author);

        api.MapPost("/validate", ValidateAsync)
            .WithName("ValidateScenario")
            .WithSummary("The schema and suite errors of a scenario document, each with the JSON Pointer of its field; nothing is stored.")
            .Produces<ValidationResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/{id}/draft", GetDraftAsync)
            .WithName("GetScenarioDraft")
            .WithSummary("The pending draft of a scenario, with its errors and revision.")
            .Produces<DraftResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/versions", GetVersionsAsync)
            .WithName("GetScenarioVersions")
            .WithSummary("Every published version of a scenario, oldest first.")
            .Produces<VersionListResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/export", ExportAsync)
            .WithName("ExportScenarios")
            .WithSummary("A pack of every published version of the given ids (?id=a&id=b; all stored scenarios when none), as canonical JSON (?format=json, the default) or a zip (?format=zip).")
            .Produces(StatusCodes.Status200OK, contentType: ScenarioPackFormat.JsonMediaType)
            .Produces(StatusCodes.Status200OK, contentType: ScenarioPackFormat.ZipMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        authoring.MapPost("/import", ImportAsync)
            .WithName("ImportScenarios")
            .WithSummary("Stores a pack (JSON or zip) or one document as the published versions it names, all or nothing: any bad entry refuses the whole pack (422, each error under /<entry index>/<field>).")
            .Produces<ImportResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        authoring.MapPost("/", CreateDraftAsync)
            .WithName("CreateScenarioDraft")
            .WithSummary("A new scenario as a draft (version 1 of an unused id); stored even when invalid, with its errors.")
            .Produces<DraftResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        authoring.MapPost("/{id}/clone", CloneAsync)
            .WithName("CloneScenario")
            .WithSummary("A draft with a new id copied from a built-in or published scenario: body {\"new_id\": ..., \"version\": optional}.")
            .Produces<DraftResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        authoring.MapPost("/{id}/edit", EditAsync)
            .WithName("EditScenario")
            .WithSummary("The draft of the next version of a published scenario (the pending one if there is one).")
            .Produces<DraftResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        authoring.MapPut("/{id}/draft", SaveDraftAsync)
            .WithName("SaveScenarioDraft")
            .WithSummary("Replaces a draft's document (saved even when invalid). If-Match: \"<revision>\" refuses the save when someone saved in between.")
            .Produces<DraftResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        authoring.MapDelete("/{id}/draft", DeleteDraftAsync)
            .WithName("DeleteScenarioDraft")
            .WithSummary("Discards a draft; published versions stay.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        authoring.MapPost("/{id}/publish", PublishAsync)
            .WithName("PublishScenario")
            .WithSummary("Makes the draft an immutable published version that resets play at once; refused with every error (422) when invalid.")
            .Produces<ScenarioSummary>(StatusCodes.Status200OK)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return endpoints;
    }

    internal static async Task<IResult> ValidateAsync(HttpRequest request, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var body = await ReadJsonAsync(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var errors = studio.Validate(body.Value);
        return TypedResults.Json(new ValidationResponse(errors.Count == 0, [.. errors.Select(ScenarioErrorResponse.From)]), WebJsonContext.Wire.ValidationResponse);
    }

    internal static async Task<IResult> GetDraftAsync(string id, IScenarioStudio studio, CancellationToken cancellationToken) =>
        Draft(await studio.GetDraftAsync(id, cancellationToken));

    internal static async Task<IResult> GetVersionsAsync(string id, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var versions = await studio.VersionsAsync(id, cancellationToken);
        return versions.Count == 0
            ? Failure(new StudioFailure(StudioFailureKind.NotFound, $"Scenario '{id}' has no published version.", []))
            : TypedResults.Json(new VersionListResponse(versions[0].Id, [.. versions.Select(VersionResponse.From)]), WebJsonContext.Wire.VersionListResponse);
    }

    internal static async Task<IResult> CreateDraftAsync(HttpContext context, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var body = await ReadJsonAsync(context.Request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var result = await studio.CreateDraftAsync(body.Value, Author(context), cancellationToken);
        return result.Succeeded ? Created(result.Value!) : Failure(result.Failure!);
    }

    internal static async Task<IResult> CloneAsync(string id, HttpContext context, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var body = await ReadJsonAsync(context.Request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (ReadClone(body.Value) is not { } clone)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["new_id"] = ["send {\"new_id\": \"<the new scenario's id>\"} and optionally \"version\": a whole number from 1"] },
                title: "Invalid clone request");
        }

        var result = await studio.CloneAsync(id, clone.Version, clone.NewId!, Author(context), cancellationToken);
        return result.Succeeded ? Created(result.Value!) : Failure(result.Failure!);
    }

    internal static async Task<IResult> EditAsync(string id, HttpContext context, IScenarioStudio studio, CancellationToken cancellationToken) =>
        Draft(await studio.EditAsync(id, Author(context), cancellationToken));

    internal static async Task<IResult> SaveDraftAsync(string id, HttpContext context, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        if (ExpectedRevision(context.Request) is { Problem: { } badMatch })
        {
            return badMatch;
        }

        var body = await ReadJsonAsync(context.Request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var revision = ExpectedRevision(context.Request).Revision;
        return Draft(await studio.SaveDraftAsync(id, body.Value, revision, Author(context), cancellationToken), revision is not null);
    }

    internal static async Task<IResult> DeleteDraftAsync(string id, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var result = await studio.DeleteDraftAsync(id, cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : Failure(result.Failure!);
    }

    internal static async Task<IResult> PublishAsync(string id, HttpContext context, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var expected = ExpectedRevision(context.Request);
        if (expected.Problem is { } badMatch)
        {
            return badMatch;
        }

        var result = await studio.PublishAsync(id, expected.Revision, Author(context), cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(ScenarioSummary.From(result.Value!), WebJsonContext.Wire.ScenarioSummary)
            : Failure(result.Failure!, expected.Revision is not null);
    }

    internal static async Task<IResult> ExportAsync([Microsoft.AspNetCore.Mvc.FromQuery(Name = "id")] string[]? ids, string? format, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "zip"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a pack format: use json or zip"] }, title: "Invalid export query");
        }

        var result = await studio.ExportAsync(ids is { Length: > 0 } ? ids : null, cancellationToken);
        if (!result.Succeeded)
        {
            return Failure(result.Failure!);
        }

        return format == "zip"
            ? TypedResults.File(ScenarioPackFormat.WriteZip(result.Value!), ScenarioPackFormat.ZipMediaType, "chaoslab-scenarios.zip")
            : TypedResults.File(ScenarioPackFormat.WriteJson(result.Value!), ScenarioPackFormat.JsonMediaType, "chaoslab-scenarios.json");
    }

    internal static async Task<IResult> ImportAsync(HttpContext context, IScenarioStudio studio, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context.Request, ScenarioPackFormat.MaxBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var pack = ScenarioPackFormat.Read(body.Bytes);
        if (!pack.Succeeded)
        {
            return Failure(pack.Failure!);
        }

        var result = await studio.ImportAsync(pack.Value!, Author(context), cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(ImportResponse.From(result.Value!), WebJsonContext.Wire.ImportResponse)
            : Failure(result.Failure!);
    }

    /// <summary>The author to record: the header when it holds a usable name, else the signed-in (or default) author.</summary>
    private static string Author(HttpContext context) =>
        context.Request.Headers[AuthorHeader].ToString() is { Length: > 0 } header
            ? SignInEndpoints.AuthorName(header)
            : StudioPolicies.AuthorName(context.User);

    private static IResult Draft(StudioResult<ScenarioDraft> result, bool preconditioned = false) => result.Succeeded
        ? WithETag(TypedResults.Json(DraftResponse.From(result.Value!), WebJsonContext.Wire.DraftResponse), result.Value!)
        : Failure(result.Failure!, preconditioned);

    private static HeaderResult Created(ScenarioDraft draft) =>
        WithETag(TypedResults.Json(DraftResponse.From(draft), WebJsonContext.Wire.DraftResponse, statusCode: StatusCodes.Status201Created), draft, $"/api/scenarios/{Uri.EscapeDataString(draft.Id)}/draft");

    // The draft's revision as an entity tag, so a client can send it back as If-Match.
    private static HeaderResult WithETag(IResult result, ScenarioDraft draft, string? location = null) => new HeaderResult(result, context =>
    {
        context.Response.Headers.ETag = $"\"{draft.Revision}\"";
        if (location is not null)
        {
            context.Response.Headers.Location = location;
        }
    });

    /// <summary>
    /// A studio failure as problem+json: 404, 409 (taken, changed meanwhile, built-in), 412 when
    /// an If-Match revision no longer holds, 422 with each error under its field's JSON Pointer.
    /// </summary>
    internal static IResult Failure(StudioFailure failure, bool preconditioned = false) => failure.Kind switch
    {
        StudioFailureKind.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(
            failure.Errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid scenario",
            Detail = failure.Message,
        }),
        StudioFailureKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: failure.Message),
        StudioFailureKind.ReadOnly => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Built-in scenario", detail: failure.Message),
        _ when preconditioned => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed meanwhile", detail: failure.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: failure.Message),
    };

    private static (int? Revision, IResult? Problem) ExpectedRevision(HttpRequest request)
    {
        if (request.Headers.IfMatch.ToString() is not { Length: > 0 } value)
        {
            return (null, null);
        }

        // "*" matches any current draft: the same as sending no precondition.
        if (value.Trim() == "*")
        {
            return (null, null);
        }

        return EntityTagHeaderValue.TryParse(value, out var tag) && !tag.IsWeak && tag.Tag.Length > 2
            && int.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision)
            ? (revision, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid If-Match", detail: $"If-Match must be a draft's ETag, e.g. \"3\"; got {value}."));
    }

    private static CloneRequest? ReadClone(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("new_id", out var newId) || newId.ValueKind != JsonValueKind.String
            || newId.GetString() is not { Length: > 0 } id)
        {
            return null;
        }

        if (!body.TryGetProperty("version", out var version) || version.ValueKind == JsonValueKind.Null)
        {
            return new CloneRequest(id, null);
        }

        return version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var number) && number >= 1 ? new CloneRequest(id, number) : null;
    }

    /// <summary>The request body as JSON, or a 400/413 problem that says what is wrong with it.</summary>
    internal static async Task<(JsonElement Value, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, MaxDocumentBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return (default, problem);
        }

        try
        {
            using var document = JsonDocument.Parse(body.Bytes);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException exception)
        {
            return (default, TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The body is not JSON",
                detail: $"The request body must be one JSON document: {exception.Message}"));
        }
    }

    /// <summary>The whole request body, or a 413 problem once it passes <paramref name="maxBytes"/> (read no further).</summary>
    private static async Task<(ReadOnlyMemory<byte> Bytes, IResult? Problem)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (default, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    private static ProblemHttpResult TooLarge(int maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The request body is larger than {maxBytes:N0} bytes.");

    /// <summary>Runs <paramref name="inner"/> after setting response headers it does not know about.</summary>
    private sealed class HeaderResult(IResult inner, Action<HttpContext> headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            headers(httpContext);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
