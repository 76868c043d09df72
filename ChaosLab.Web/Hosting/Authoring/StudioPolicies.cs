using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace ChaosLab.Web.Hosting.Authoring;

/// <summary>The authorization policy of everything that changes scenarios.</summary>
public static class StudioPolicies
{
    public const string Author = "ScenarioAuthor";

    /// <summary>The claim a signed-in author (cookie) or a request with the key (bearer) carries.</summary>
    public const string AuthorClaim = "chaoslab:author";

    /// <summary>The name recorded as author when nobody signed in with one.</summary>
    public const string DefaultAuthor = "operator";

    /// <summary>The author name to record for <paramref name="user"/>.</summary>
    public static string AuthorName(ClaimsPrincipal? user) =>
        user?.FindFirst(AuthorClaim)?.Value is { Length: > 0 } name ? name : DefaultAuthor;
}

/// <summary>Met by everyone when no admin key is set, else only by a principal holding the author claim.</summary>
public sealed class AuthorRequirement : IAuthorizationRequirement;

internal sealed class AuthorRequirementHandler(AdminKey key) : AuthorizationHandler<AuthorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AuthorRequirement requirement)
    {
        if (!key.Required || context.User.HasClaim(c => c.Type == StudioPolicies.AuthorClaim))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
