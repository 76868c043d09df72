using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.Authoring;

/// <summary>The real server with an admin key set, as on a public Space.</summary>
public sealed class AdminKeyAppFactory() : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:AdminKey"] = Key })
{
    public const string Key = "test-admin-key-0123456789";

    /// <summary>A client that keeps cookies (antiforgery, sign-in) and shows redirects instead of following them.</summary>
    public HttpClient CreateBrowserLikeClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = ServerAddress };
}
