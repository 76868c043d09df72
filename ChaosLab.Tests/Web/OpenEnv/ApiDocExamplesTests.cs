using ChaosLab.Tests.Web.Authoring;
using ChaosLab.Tests.Web.OpenEnv.ApiDoc;
using ChaosLab.Web.OpenEnv;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// docs/api.md is executable: every request in it is sent to a real server and every reply
/// compared with the documented one, so the reference cannot drift from the wire. The server has
/// an admin key, as a public Space does, so the authoring examples show the header they need.
/// </summary>
public sealed class ApiDocExamplesTests(AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    /// <summary>What the document writes as <c>&lt;admin_key&gt;</c>: the key the operator configured.</summary>
    private static readonly Dictionary<string, string> Given = new() { ["admin_key"] = AdminKeyAppFactory.Key };

    public static TheoryData<string> Sections => [.. ApiDocument.Load().Select(s => s.Heading)];

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task Section_RunAgainstServer_EveryReplyMatchesTheDocument(string heading)
    {
        var section = ApiDocument.Load().Single(s => s.Heading == heading);

        var differences = await new ApiExampleRunner(app, Given).RunAsync(section);

        Assert.True(differences.Count == 0, $"docs/api.md, section '{heading}':\n" + string.Join('\n', differences));
    }

    [Fact]
    public async Task Run_DocumentedLiteralDrifted_ReportsTheDifference()
    {
        var drifted = ApiDocument.Parse("""
            # Health
            ```http
            GET /health
            ```
            ```http
            HTTP/1.1 200 OK

            {"status": "sick"}
            ```
            """).Single();

        var differences = await new ApiExampleRunner(app).RunAsync(drifted);

        Assert.Equal("line 2: GET /health: $.status: documented \"sick\", got \"healthy\"", Assert.Single(differences));
    }

    [Fact]
    public void Document_Headings_UniqueSoEachSectionIsOneTestCase()
    {
        var headings = ApiDocument.Load().Select(s => s.Heading).ToList();

        Assert.Equal(headings.Distinct(), headings);
    }

    [Fact]
    public void Document_ResetParameters_EachOneDescribed()
    {
        var document = File.ReadAllText(ApiDocument.FilePath);

        Assert.All(ResetRequest.Parameters, name => Assert.Contains($"| `{name}` |", document, StringComparison.Ordinal));
    }

    [Fact]
    public void Document_WebSocketErrorCodes_EachOneDescribed()
    {
        var document = File.ReadAllText(ApiDocument.FilePath);
        var codes = typeof(WsErrorCodes).GetFields().Select(f => (string)f.GetRawConstantValue()!);

        Assert.All(codes, code => Assert.Contains($"| `{code}` |", document, StringComparison.Ordinal));
    }

    [Fact]
    public void Document_Examples_CoverEveryProtocolSurface()
    {
        var examples = ApiDocument.Load().SelectMany(s => s.Examples).ToList();
        var targets = examples.OfType<HttpExample>().Select(e => HttpMessageText.Parse(e.Request).StartLine.Split(' ', '?')[1]).ToHashSet();
        var sockets = examples.OfType<SocketExample>().Select(e => e.Path).ToHashSet();

        Assert.Superset(new HashSet<string> { "/reset", "/step", "/state", "/mcp", "/api/episodes" }, targets);
        Assert.Superset(new HashSet<string> { "/ws", "/mcp" }, sockets);
    }
}
