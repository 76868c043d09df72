using System.Net;
using Microsoft.Extensions.DependencyInjection;
using AngleSharp.Html.Parser;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.Endpoints;

/// <summary>Health, redirects and the split between the API at the root and the UI under /web, over real HTTP.</summary>
public sealed class HostingTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task GetHealth_Running_HealthyWithTheReplicaAndHowFullItIs()
    {
        using var response = await _client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal(app.Services.GetRequiredService<ChaosLab.Core.Replicas.ReplicaIdentity>().Id, (string?)health["replica"]);
        var sessions = app.Services.GetRequiredService<ChaosLab.Web.OpenEnv.Sessions.SessionRegistry>();
        Assert.Equal(sessions.MaxSessions, (int?)health["sessions"]!["capacity"]);
        Assert.True((int?)health["sessions"]!["open"] >= 0);
        Assert.Null(health["reason"]);
    }

    [Theory]
    [InlineData("/", "/web/")]
    [InlineData("/web", "/web/")]
    [InlineData("/web?tab=faults", "/web/?tab=faults")]
    public async Task Get_RootOrWebWithoutSlash_TemporaryRedirectToWebUi(string path, string location)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GetWebUi_Running_StatusPageWithPathBase()
    {
        using var response = await _client.GetAsync(new Uri("/web/status", UriKind.Relative));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/web/", page.QuerySelector("base")?.GetAttribute("href"));
        Assert.Equal("ChaosLab", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("script[src='_framework/blazor.web.js']"));
        // Every asset link is relative, so it resolves under the path base.
        Assert.All(page.QuerySelectorAll("link[href], script[src]"), element =>
            Assert.DoesNotMatch("^(/|https?:)", element.GetAttribute("href") ?? element.GetAttribute("src")!));
    }

    [Theory]
    [InlineData("/web/", "Leaderboard")]
    [InlineData("/web/episodes", "Episodes")]
    [InlineData("/web/analytics", "Analytics")]
    [InlineData("/web/compare", "Compare two agents")]
    public async Task GetWebUi_DashboardPage_RendersItsHeading(string path, string heading)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(heading, page.QuerySelector("h1")?.TextContent.Trim());
    }

    [Theory]
    [InlineData("/web/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/web/_content/Plotly.Blazor/plotly-3.7.0.min.js", "text/javascript")]
    [InlineData("/web/_content/Plotly.Blazor/plotly-interop-7.2.0.js", "text/javascript")]
    [InlineData("/web/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/web/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/web/lib/roboto/latin-400.css", "text/css")]
    [InlineData("/web/lib/roboto/files/roboto-latin-500-normal.woff2", "font/woff2")]
    public async Task GetWebAsset_BuiltByTheWebProject_ServedWithContent(string path, string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        // Browsers ask for compressed variants; those must be served too, not empty bodies.
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, $"{path} has no content");
    }

    [Fact]
    public async Task GetUnknownDashboardPage_Browser_NotFoundPageNotJson()
    {
        using var response = await _client.GetAsync(new Uri("/web/no-such-page", UriKind.Relative));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Page not found", page.QuerySelector("h1")?.TextContent.Trim());
    }

    [Theory]
    [InlineData("/web/health")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/Plotly.Blazor/plotly-3.7.0.min.js")]
    [InlineData("/not-found")]
    [InlineData("/no-such-route")]
    public async Task Get_UiPathAtRootOrApiPathUnderWeb_NotFound(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
