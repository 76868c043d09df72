using ChaosLab.Web.Hosting;

using Microsoft.AspNetCore.Diagnostics;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// Bodies for empty error responses at the root, in OpenEnv's (FastAPI's) shape:
/// <c>404 {"detail":"Not Found"}</c>, <c>405 {"detail":"Method Not Allowed"}</c>. The dashboard
/// under <c>/web</c> and the REST API under <c>/api</c> keep their own error formats.
/// </summary>
internal static class OpenEnvStatusPages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Request.PathBase.StartsWithSegments(WebUi.PathBase) || http.Request.Path.StartsWithSegments("/api"))
        {
            return context.Next(http);
        }

        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
            _ => null,
        };
        return detail is null
            ? Task.CompletedTask
            : http.Response.WriteAsJsonAsync(new DetailMessage(detail), OpenEnvJsonContext.Default.DetailMessage);
    }
}
