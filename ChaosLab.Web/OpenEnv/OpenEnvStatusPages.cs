using ChaosLab.Web.Hosting;

using Microsoft.AspNetCore.Diagnostics;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// Bodies for empty error responses at the root, in OpenEnv's (FastAPI's) shape:
/// <c>404 {"detail":"Not Found"}</c>, <c>405 {"detail":"Method Not Allowed"}</c>, and 415. The dashboard
/// under <c>/web</c> and the REST API under <c>/api</c> keep their own error formats.
/// </summary>
internal static class OpenEnvStatusPages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        // This runs outside UsePathBase, so dashboard requests still carry /web in their path.
        if (http.Request.Path.StartsWithSegments(WebUi.PathBase) || http.Request.Path.StartsWithSegments("/api"))
        {
            return context.Next(http);
        }

        if (http.Response.StatusCode == StatusCodes.Status404NotFound
            && http.RequestServices.GetRequiredService<RootRouteMethods>().Allowed(http.Request.Path) is { Count: > 0 } allowed)
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = string.Join(", ", allowed);
        }

        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
            // The routing layer refuses a body that is not JSON before any handler runs.
            StatusCodes.Status415UnsupportedMediaType => "Unsupported Media Type: send the body as Content-Type: application/json.",
            _ => null,
        };
        return detail is null
            ? Task.CompletedTask
            : http.Response.WriteAsJsonAsync(new DetailMessage(detail), WebJsonContext.Wire.DetailMessage);
    }
}
