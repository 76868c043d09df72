using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Hosting.Authoring;

/// <summary>
/// <c>Authorization: Bearer &lt;admin key&gt;</c> on API requests. Without a configured key there
/// is nothing to check (every request may author); with one, a wrong key fails and a missing
/// one is challenged with a problem+json 401 that says what to send.
/// </summary>
internal sealed class AdminKeyBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminKey key)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!key.Required || Request.Headers.Authorization.ToString() is not { Length: > 0 } header)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !key.Matches(header[Prefix.Length..].Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("the bearer token is not the admin key"));
        }

        var identity = new ClaimsIdentity([new Claim(StudioPolicies.AuthorClaim, StudioPolicies.DefaultAuthor)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Admin key required",
            detail: result.Failure is not null
                ? "The bearer token is not this server's admin key."
                : Request.Path.StartsWithSegments("/api/runs")
                    ? "Starting or cancelling evaluation runs needs the operator's admin key: send it as 'Authorization: Bearer <key>'."
                    : Request.Path.StartsWithSegments(Telemetry.MetricsEndpoint.Path)
                    ? "Reading the metrics needs the operator's admin key: send it as 'Authorization: Bearer <key>'."
                    : "Changing scenarios needs the operator's admin key: send it as 'Authorization: Bearer <key>'.")
            .ExecuteAsync(Context);
    }
}
