using ChaosLab.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// Errors under <c>/api</c> are problem+json: unknown routes answer 404, bodiless error statuses
/// (405, 415, ...) get a problem body, and an unhandled exception becomes a 500 without details.
/// The OpenEnv routes at the root keep their own error shapes, so none of this applies there.
/// </summary>
public static class ApiErrors
{
    public const string PathPrefix = "/api";

    /// <summary>Call first in the pipeline; needs <c>AddProblemDetails()</c>.</summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase),
            api =>
            {
                api.UseExceptionHandler();
                api.UseStatusCodePages();
            });

        app.MapFallback(PathPrefix + "/{**path}", NotFound)
            .ServedAtRoot()
            .WithName("ApiNotFound")
            .ExcludeFromDescription();
        return app;
    }

    internal static ProblemHttpResult NotFound(HttpRequest request) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not Found",
        detail: $"No API endpoint answers {request.Method} {request.Path}.");
}
