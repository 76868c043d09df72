using ChaosLab.Web.Components;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Hosting;

/// <summary>The Blazor dashboard lives under <see cref="PathBase"/>; the OpenEnv API owns the root.</summary>
public static class WebUi
{
    public const string PathBase = "/web";

    /// <summary>Answers <c>/</c> and <c>/web</c> with a 307 to <c>/web/</c>, keeping the query string.</summary>
    public static IApplicationBuilder UseWebUiRedirects(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var path = context.Request.Path;
        if (path == "/" || path.Equals(PathBase, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = PathBase + "/" + context.Request.QueryString;
            return Task.CompletedTask;
        }

        return next(context);
    });

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.MapStaticAssets();
        var frameAncestors = app.Services.GetRequiredService<IOptions<WebUiOptions>>().Value.FrameAncestors;
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = frameAncestors);
        return app;
    }

    /// <summary>
    /// Serves these endpoints at the root (the API) instead of under <see cref="PathBase"/>,
    /// where every unmarked endpoint lives; see <see cref="PathBaseMatcherPolicy"/>.
    /// </summary>
    public static TBuilder ServedAtRoot<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(RootEndpointMetadata.Instance));
        return builder;
    }
}

/// <summary>Marks an endpoint that answers at the root, outside <see cref="WebUi.PathBase"/>.</summary>
public sealed class RootEndpointMetadata
{
    public static RootEndpointMetadata Instance { get; } = new();

    private RootEndpointMetadata()
    {
    }
}
