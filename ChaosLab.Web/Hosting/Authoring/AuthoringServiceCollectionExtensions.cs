using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace ChaosLab.Web.Hosting.Authoring;

public static class AuthoringServiceCollectionExtensions
{
    /// <summary>The scheme that picks the bearer key for the API and the sign-in cookie for the dashboard.</summary>
    public const string Scheme = "ChaosLab";

    public static IServiceCollection AddAuthoring(this IServiceCollection services)
    {
        services.AddOptions<AuthoringOptions>().BindConfiguration(AuthoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdminKey>();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Admin key (bearer) or sign-in cookie", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 || !context.Request.PathBase.StartsWithSegments(WebUi.PathBase)
                    ? AdminKeyBearerHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyBearerHandler>(AdminKeyBearerHandler.SchemeName, null)
            .AddCookie(options =>
            {
                options.Cookie.Name = ".ChaosLab.Author";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // Relative to the dashboard's path base.
                options.LoginPath = SignInEndpoints.SignInPath;
            });
        services.AddSingleton<IAuthorizationHandler, AuthorRequirementHandler>();
        services.AddAuthorizationBuilder().AddPolicy(StudioPolicies.Author, policy => policy.AddRequirements(new AuthorRequirement()));
        services.AddCascadingAuthenticationState();
        return services;
    }
}
