using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Authoring;

namespace ChaosLab.Tests.Web.Endpoints;

/// <summary>Authoring over real HTTP on a server without an admin key: every route, its failures, and a published scenario played by a reset.</summary>
public sealed class ScenarioStudioApiTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _http = app.CreateHttpClient();

    [Fact]
    public async Task Clone_BuiltIn_DraftOfVersion1WithTheNewIdAndItsRevisionAsETag()
    {
        using var response = await PostJsonAsync("/api/scenarios/W01/clone", """{"new_id": "api-clone-1"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/scenarios/api-clone-1/draft", response.Headers.Location?.OriginalString);
        var draft = await JsonAsync(response);
        Assert.Equal(("api-clone-1", 1, "tools", true), (draft["id"]!.GetValue<string>(), draft["version"]!.GetValue<int>(), draft["suite"]!.GetValue<string>(), draft["publishable"]!.GetValue<bool>()));
        Assert.Equal("api-clone-1", draft["document"]!["id"]!.GetValue<string>());
        Assert.Equal($"\"{draft["revision"]!.GetValue<int>()}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task DraftToPublished_SaveEditPublish_ResetPlaysEachNewVersion()
    {
        var draft = await CloneAsync("W01", "api-flow-1");
        draft["document"]!["title"] = "Population, authored over the API";

        using var saved = await PutJsonAsync("/api/scenarios/api-flow-1/draft", draft["document"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var published = await SendAsync(HttpMethod.Post, "/api/scenarios/api-flow-1/publish", null, ("X-ChaosLab-Author", "Grace Hopper"));

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var summary = await JsonAsync(published);
        Assert.Equal(("api-flow-1", 1, "stored"), (summary["id"]!.GetValue<string>(), summary["version"]!.GetValue<int>(), summary["source"]!.GetValue<string>()));
        Assert.Equal("Population, authored over the API", (await GetJsonAsync("/api/scenarios/api-flow-1"))["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri("/api/scenarios/api-flow-1/draft", UriKind.Relative))).StatusCode);
        Assert.Equal(1, await ResetScenarioVersionAsync("api-flow-1"));

        using var edit = await SendAsync(HttpMethod.Post, "/api/scenarios/api-flow-1/edit", null);
        var next = await JsonAsync(edit);
        Assert.Equal((2, 1), (next["version"]!.GetValue<int>(), next["base_version"]!.GetValue<int>()));
        using (var second = await SendAsync(HttpMethod.Post, "/api/scenarios/api-flow-1/publish", null))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        var versions = (await GetJsonAsync("/api/scenarios/api-flow-1/versions"))["versions"]!.AsArray();
        Assert.Equal([1, 2], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal("Grace Hopper", versions[0]!["author"]!.GetValue<string>());
        Assert.Equal(2, await ResetScenarioVersionAsync("api-flow-1"));
    }

    [Fact]
    public async Task SaveDraft_InvalidDocument_SavedWithErrors_PublishRefusedWithTheFieldPaths()
    {
        var draft = await CloneAsync("W01", "api-invalid-1");
        draft["document"]!["step_limit"] = 0;

        using var saved = await PutJsonAsync("/api/scenarios/api-invalid-1/draft", draft["document"]!.ToJsonString());
        var body = await JsonAsync(saved);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.False(body["publishable"]!.GetValue<bool>());
        Assert.Contains(body["errors"]!.AsArray(), e => e!["path"]!.GetValue<string>() == "/step_limit");
        Assert.Equal(0, body["document"]!["step_limit"]!.GetValue<int>());

        using var publish = await SendAsync(HttpMethod.Post, "/api/scenarios/api-invalid-1/publish", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, publish.StatusCode);
        Assert.Equal("application/problem+json", publish.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await JsonAsync(publish))["errors"]!["/step_limit"]);
    }

    [Fact]
    public async Task SaveDraft_StaleIfMatch_412AndTheNewerDraftKept()
    {
        var draft = await CloneAsync("W01", "api-race-1");
        var revision = draft["revision"]!.GetValue<int>();
        draft["document"]!["title"] = "first author";
        using (var first = await PutJsonAsync("/api/scenarios/api-race-1/draft", draft["document"]!.ToJsonString(), ifMatch: revision))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        draft["document"]!["title"] = "second author, from the old revision";
        using var second = await PutJsonAsync("/api/scenarios/api-race-1/draft", draft["document"]!.ToJsonString(), ifMatch: revision);

        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("first author", (await GetJsonAsync("/api/scenarios/api-race-1/draft"))["document"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task SaveDraft_IfMatchAnyRevision_Saved()
    {
        var draft = await CloneAsync("W01", "api-any-match");
        draft["document"]!["title"] = "saved over any revision";

        using var saved = await PutJsonAsync("/api/scenarios/api-any-match/draft", draft["document"]!.ToJsonString(), rawIfMatch: "*");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("saved over any revision", (await JsonAsync(saved))["document"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("W01", HttpStatusCode.Conflict)]
    [InlineData("no-such-scenario", HttpStatusCode.NotFound)]
    public async Task Edit_BuiltInOrUnknown_ProblemNotADraft(string id, HttpStatusCode expected)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/scenarios/{id}/edit", null);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{"new_id": "W02"}""", HttpStatusCode.Conflict)]
    [InlineData("""{"id": "api-wrong-field"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"new_id": "api-bad-version", "version": 0}""", HttpStatusCode.BadRequest)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    public async Task Clone_BadRequests_ProblemJson(string body, HttpStatusCode expected)
    {
        using var response = await PostJsonAsync("/api/scenarios/W01/clone", body);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Clone_UnknownSource_404()
    {
        using var response = await PostJsonAsync("/api/scenarios/no-such-scenario/clone", """{"new_id": "api-orphan"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SaveDraft_MalformedIfMatchOrTooLargeBody_ProblemBeforeAnythingIsStored()
    {
        var draft = await CloneAsync("W01", "api-limits-1");
        using var badMatch = await PutJsonAsync("/api/scenarios/api-limits-1/draft", draft["document"]!.ToJsonString(), rawIfMatch: "W/\"1\"");
        using var tooLarge = await PutJsonAsync("/api/scenarios/api-limits-1/draft", "\"" + new string('x', 1 << 20) + "\"");

        Assert.Equal(HttpStatusCode.BadRequest, badMatch.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.Equal(draft["revision"]!.GetValue<int>(), (await GetJsonAsync("/api/scenarios/api-limits-1/draft"))["revision"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeleteDraft_ThenGet_404()
    {
        await CloneAsync("W01", "api-discard-1");

        using var deleted = await SendAsync(HttpMethod.Delete, "/api/scenarios/api-discard-1/draft", null);
        using var again = await SendAsync(HttpMethod.Delete, "/api/scenarios/api-discard-1/draft", null);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Validate_ValidAndInvalidDocuments_ErrorsWithPathsNothingStored()
    {
        var document = (await GetJsonAsync("/api/scenarios/W01"))!.AsObject();
        document["id"] = "api-validate-only";
        using var valid = await PostJsonAsync("/api/scenarios/validate", document.ToJsonString());
        document["faults"]!["background_probability"] = 1.5;
        using var invalid = await PostJsonAsync("/api/scenarios/validate", document.ToJsonString());

        Assert.True((await JsonAsync(valid))["valid"]!.GetValue<bool>());
        var errors = (await JsonAsync(invalid))["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["path"]!.GetValue<string>() == "/faults/background_probability");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri("/api/scenarios/api-validate-only", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("json", "application/json")]
    [InlineData("zip", "application/zip")]
    public async Task ExportThenImport_SamePack_EveryVersionUnchangedAndExportIdentical(string format, string mediaType)
    {
        var id = "api-pack-" + format;
        await CloneAsync("W01", id);
        using (var published = await SendAsync(HttpMethod.Post, $"/api/scenarios/{id}/publish", null))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        using var export = await _http.GetAsync(new Uri($"/api/scenarios/export?id={id}&format={format}", UriKind.Relative));
        Assert.Equal(mediaType, export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await export.Content.ReadAsByteArrayAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/scenarios/import", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var import = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var report = await JsonAsync(import);
        Assert.Empty(report["added"]!.AsArray());
        Assert.Equal([(id, 1)], report["unchanged"]!.AsArray().Select(v => (v!["id"]!.GetValue<string>(), v["version"]!.GetValue<int>())));
        using var again = await _http.GetAsync(new Uri($"/api/scenarios/export?id={id}&format={format}", UriKind.Relative));
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Import_PackWithOneBadEntry_422WithTheEntryIndexAndNothingStored()
    {
        var good = (await GetJsonAsync("/api/scenarios/W01")).AsObject();
        good["id"] = "api-import-good";
        var bad = good.DeepClone().AsObject();
        bad["id"] = "api-import-bad";
        bad["step_limit"] = 0;
        var pack = new JsonObject { ["format"] = "chaoslab.scenario-pack", ["version"] = 1, ["scenarios"] = new JsonArray(good, bad) };

        using var response = await PostJsonAsync("/api/scenarios/import", pack.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await JsonAsync(response))["errors"]!["/1/step_limit"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri("/api/scenarios/api-import-good", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("/api/scenarios/import", "[1, 2, 3]", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/api/scenarios/export?format=tar", null, HttpStatusCode.BadRequest)]
    [InlineData("/api/scenarios/export?id=no-such-scenario", null, HttpStatusCode.NotFound)]
    public async Task PackRoutes_BadInput_ProblemJson(string path, string? body, HttpStatusCode expected)
    {
        using var response = body is null ? await _http.GetAsync(new Uri(path, UriKind.Relative)) : await PostJsonAsync(path, body);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<int> ResetScenarioVersionAsync(string id)
    {
        using var reset = await PostJsonAsync("/reset", $$"""{"scenario_id": "{{id}}", "seed": 3}""");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var token = (await JsonAsync(reset))["episode_token"]!.GetValue<string>();
        var state = await GetJsonAsync("/state?episode_token=" + Uri.EscapeDataString(token));
        Assert.Equal(id, state["scenario_id"]!.GetValue<string>());
        return state["scenario_version"]!.GetValue<int>();
    }

    private async Task<JsonObject> CloneAsync(string source, string newId)
    {
        using var response = await PostJsonAsync($"/api/scenarios/{source}/clone", $$"""{"new_id": "{{newId}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).AsObject();
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    private Task<HttpResponseMessage> PutJsonAsync(string path, string json, int? ifMatch = null, string? rawIfMatch = null) =>
        SendAsync(HttpMethod.Put, path, json, ("If-Match", rawIfMatch ?? (ifMatch is { } r ? $"\"{r}\"" : null)));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, params (string Name, string? Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers.Where(h => h.Value is not null))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}

/// <summary>The same routes on a server with an admin key: changing needs the bearer key, reading does not.</summary>
public sealed class ScenarioStudioApiKeyTests(AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    private readonly HttpClient _http = app.CreateHttpClient();

    [Theory]
    [InlineData(null, "needs the operator's admin key")]
    [InlineData("Bearer not-the-admin-key-at-all", "is not this server's admin key")]
    [InlineData("Basic dXNlcjpwYXNz", "is not this server's admin key")]
    public async Task Clone_WithoutTheKey_401ProblemSayingWhatToSend(string? authorization, string detail)
    {
        using var request = Clone("key-clone-refused", authorization);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri("/api/scenarios/key-clone-refused/draft", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Clone_WithTheKey_Created_AndReadingNeedsNoKey()
    {
        using var request = Clone("key-clone-1", "Bearer " + AdminKeyAppFactory.Key);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri("/api/scenarios/key-clone-1/draft", UriKind.Relative))).StatusCode);
    }

    private static HttpRequestMessage Clone(string newId, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/scenarios/W01/clone", UriKind.Relative))
        {
            Content = new StringContent($$"""{"new_id": "{{newId}}"}""", Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return request;
    }
}
