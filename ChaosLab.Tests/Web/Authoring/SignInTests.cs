using System.Net;
using AngleSharp.Html.Parser;

namespace ChaosLab.Tests.Web.Authoring;

/// <summary>Signing in to author on a server with an admin key, over real HTTP with the real antiforgery checks.</summary>
public sealed class SignInTests(AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    [Fact]
    public async Task SignIn_RightKey_CookieSetAndPageNamesTheAuthor()
    {
        using var client = app.CreateBrowserLikeClient();

        using var response = await PostSignInAsync(client, AdminKeyAppFactory.Key, "Ada Lovelace", "/web/scenarios?suite=tools");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/web/scenarios?suite=tools", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".ChaosLab.Author=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var page = await GetPageAsync(client, "/web/sign-in");
        Assert.Equal("You are signed in as Ada Lovelace.", page.QuerySelector("[data-testid=signed-in-as]")?.TextContent);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("https", true)]
    public async Task SignIn_BehindATlsProxy_CookieMarkedSecure(string? forwardedProto, bool secure)
    {
        using var client = app.CreateBrowserLikeClient();
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await PostSignInAsync(client, AdminKeyAppFactory.Key, "Ada", "/web/");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".ChaosLab.Author=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Split(';').Any(part => part.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task SignIn_WrongKey_BackToTheFormWithTheFailureAndNoCookie()
    {
        using var client = app.CreateBrowserLikeClient();

        using var response = await PostSignInAsync(client, "not-the-key-at-all-sorry", "Mallory", "/web/scenarios");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/web/sign-in?failed=1&return_url=%2Fweb%2Fscenarios", response.Headers.Location?.OriginalString);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(".ChaosLab.Author=", StringComparison.Ordinal));
        var page = await GetPageAsync(client, response.Headers.Location!.OriginalString);
        Assert.NotNull(page.QuerySelector("[data-testid=sign-in-failed]"));
        Assert.NotNull(page.QuerySelector("[data-testid=sign-in-form]"));
    }

    [Fact]
    public async Task SignIn_NoAntiforgeryToken_Refused()
    {
        using var client = app.CreateBrowserLikeClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = AdminKeyAppFactory.Key, ["return_url"] = "/web/" });

        using var response = await client.PostAsync(new Uri("/web/authoring/sign-in", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(".ChaosLab.Author=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/web/")]
    [InlineData("//evil.example/web/")]
    [InlineData("/web//evil.example")]
    [InlineData("/api/scenarios")]
    public async Task SignIn_ReturnUrlOutsideTheDashboard_GoesToTheStartPage(string returnUrl)
    {
        using var client = app.CreateBrowserLikeClient();

        using var response = await PostSignInAsync(client, AdminKeyAppFactory.Key, "", returnUrl);

        Assert.Equal("/web/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignOut_AfterSignIn_CookieClearedAndFormShownAgain()
    {
        using var client = app.CreateBrowserLikeClient();
        using (await PostSignInAsync(client, AdminKeyAppFactory.Key, "Ada", "/web/"))
        {
        }

        var signedIn = await GetPageAsync(client, "/web/sign-in");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["return_url"] = "/web/sign-in",
            ["__RequestVerificationToken"] = Token(signedIn),
        });
        using var response = await client.PostAsync(new Uri("/web/authoring/sign-out", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await GetPageAsync(client, "/web/sign-in");
        Assert.Null(page.QuerySelector("[data-testid=signed-in-as]"));
        Assert.NotNull(page.QuerySelector("[data-testid=sign-in-form]"));
    }

    [Fact]
    public async Task AppBar_KeySetAndSignedOut_OffersSignInBackToThisPage()
    {
        using var client = app.CreateBrowserLikeClient();

        var page = await GetPageAsync(client, "/web/status");

        var link = page.QuerySelector("[data-testid=author-status]");
        Assert.Equal("Sign in", link?.TextContent.Trim());
        Assert.Equal("sign-in?return_url=%2Fweb%2Fstatus", link?.GetAttribute("href"));
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string key, string name, string returnUrl)
    {
        var formPage = await GetPageAsync(client, "/web/sign-in");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = key,
            ["name"] = name,
            ["return_url"] = returnUrl,
            ["__RequestVerificationToken"] = Token(formPage),
        });
        return await client.PostAsync(new Uri("/web/authoring/sign-in", UriKind.Relative), form);
    }

    private static string Token(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? throw new InvalidOperationException("the page has no antiforgery token");

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> GetPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }
}
