using Microsoft.AspNetCore.Routing.Matching;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// Keeps the two halves of the server apart: API endpoints (marked with
/// <see cref="WebUi.ServedAtRoot{TBuilder}"/>) match only at the root, and everything else (pages,
/// the Blazor hub, static assets and the framework's own fallbacks) only under
/// <see cref="WebUi.PathBase"/>. Without it, <c>UsePathBase</c> would serve the dashboard at
/// <c>/</c> too and the API under <c>/web</c>.
/// </summary>
internal sealed class PathBaseMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Count > 0;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var atRoot = !httpContext.Request.PathBase.Equals(WebUi.PathBase, StringComparison.OrdinalIgnoreCase);
        for (var i = 0; i < candidates.Count; i++)
        {
            // Only routed endpoints: the framework's own 405 endpoint (a plain Endpoint) must survive
            // so a wrong method still answers 405.
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint is RouteEndpoint endpoint
                && (endpoint.Metadata.GetMetadata<RootEndpointMetadata>() is not null) != atRoot)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
