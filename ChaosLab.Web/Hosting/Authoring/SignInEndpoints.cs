using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace ChaosLab.Web.Hosting.Authoring;

/// <summary>
/// The dashboard's sign-in and sign-out form posts (under <see cref="WebUi.PathBase"/>, with
/// antiforgery). A circuit cannot set a cookie, so the sign-in page posts a plain form here and
/// the browser loads the page it came from again, whose new circuit sees the author.
/// </summary>
public static partial class SignInEndpoints
{
    /// <summary>The sign-in page (a component); the forms post elsewhere, because page routes take posts too.</summary>
    public const string SignInPath = "/sign-in";
    public const string SignInPostPath = "/authoring/sign-in";
    public const string SignOutPostPath = "/authoring/sign-out";
    public const int MaxNameLength = 64;

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SignInPostPath, SignInAsync).ExcludeFromDescription();
        endpoints.MapPost(SignOutPostPath, SignOutAsync).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Only a page of the dashboard itself: anything else (another host, <c>//evil</c>) goes to the start page.</summary>
    public static string LocalReturnPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith(WebUi.PathBase + "/", StringComparison.Ordinal)
            && !returnUrl.StartsWith(WebUi.PathBase + "//", StringComparison.Ordinal) && !returnUrl.Contains('\\')
            ? returnUrl
            : WebUi.PathBase + "/";

    /// <summary>An author name as it will be shown: trimmed, or the default when empty or unusable.</summary>
    public static string AuthorName(string? name) =>
        name?.Trim() is { Length: > 0 and <= MaxNameLength } trimmed && NamePattern().IsMatch(trimmed) ? trimmed : StudioPolicies.DefaultAuthor;

    private static async Task<IResult> SignInAsync(
        [FromForm(Name = "key")] string? key, [FromForm(Name = "name")] string? name, [FromForm(Name = "return_url")] string? returnUrl,
        HttpContext context, AdminKey adminKey)
    {
        var target = LocalReturnPath(returnUrl);
        if (!adminKey.Required)
        {
            return Results.Redirect(target);
        }

        if (!adminKey.Matches(key))
        {
            return Results.Redirect($"{WebUi.PathBase}{SignInPath}?failed=1&return_url={Uri.EscapeDataString(target)}");
        }

        var identity = new ClaimsIdentity([new Claim(StudioPolicies.AuthorClaim, AuthorName(name))], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(target);
    }

    private static async Task<IResult> SignOutAsync([FromForm(Name = "return_url")] string? returnUrl, HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(LocalReturnPath(returnUrl));
    }

    [GeneratedRegex(@"^[\p{L}\p{N} ._'-]+$")]
    private static partial Regex NamePattern();
}
