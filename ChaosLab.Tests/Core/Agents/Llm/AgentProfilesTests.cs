using System.Text.Json.Nodes;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Agents.Llm;

public sealed class AgentProfilesTests
{
    private const string Seed = """
        local-qwen:
          parameters:
            url: "http://localhost:30001/v1/chat/completions"
            headers:
              Authorization: "Bearer ${QWEN_API_KEY}"
              X-Team: "chaos-${TEAM}"
            body:
              model: "Qwen/Qwen3-4B-Instruct"
              max_tokens: 4096
              temperature: 0.0
              top_p: 0.9
              seed: 7
              stop: ["END"]
            timeout_seconds: 45.5
            retries: 2
        openai:
          parameters:
            url: https://api.openai.com/v1
            body:
              model: gpt-4o-mini
        """;

    [Fact]
    public void Parse_SeedShape_ReadsEveryField()
    {
        var profiles = AgentProfiles.Parse(Seed);

        var qwen = profiles.Get("local-qwen");
        Assert.Equal(["local-qwen", "openai"], profiles.All.Select(p => p.Name));
        Assert.Equal("http://localhost:30001/v1/", qwen.Endpoint.AbsoluteUri);
        Assert.Equal("http://localhost:30001/v1/chat/completions", qwen.ChatCompletionsUrl);
        Assert.Equal("Qwen/Qwen3-4B-Instruct", qwen.Model);
        Assert.Equal("Bearer ${QWEN_API_KEY}", qwen.Headers["authorization"]);
        Assert.Equal(["QWEN_API_KEY", "TEAM"], qwen.Variables);
        Assert.Equal("""{"model":"Qwen/Qwen3-4B-Instruct","max_tokens":4096,"temperature":0,"top_p":0.9,"seed":7,"stop":["END"]}""", qwen.Body.ToJsonString());
        Assert.Equal(TimeSpan.FromSeconds(45.5), qwen.Timeout);
        Assert.Equal(2, qwen.Retries);
        Assert.Empty(profiles.Warnings);
    }

    [Fact]
    public void Parse_NoTimeoutOrRetries_Defaults()
    {
        var openai = AgentProfiles.Parse(Seed).Get("openai");

        Assert.Equal("https://api.openai.com/v1/chat/completions", openai.ChatCompletionsUrl);
        Assert.Equal(AgentProfile.DefaultTimeout, openai.Timeout);
        Assert.Equal(AgentProfile.DefaultRetries, openai.Retries);
        Assert.Empty(openai.Headers);
    }

    [Fact]
    public void Get_UnknownName_ListsKnownProfiles()
    {
        var error = Assert.Throws<AgentProfileException>(() => AgentProfiles.Parse(Seed).Get("gpt-5"));

        Assert.Equal("no agent profile named 'gpt-5'; known: local-qwen, openai", error.Message);
    }

    [Theory]
    [InlineData("    body: {model: m}\n", "agent profile 'p': parameters.url: required")]
    [InlineData("    url: ftp://host/v1\n    body: {model: m}\n", "agent profile 'p': parameters.url: must be an absolute http(s) URL, got 'ftp://host/v1'")]
    [InlineData("    url: localhost:8000\n    body: {model: m}\n", "agent profile 'p': parameters.url: must be an absolute http(s) URL")]
    [InlineData("    url: http://h/v1\n", "agent profile 'p': parameters.body: required")]
    [InlineData("    url: http://h/v1\n    body: {temperature: 0}\n", "agent profile 'p': parameters.body.model: required")]
    [InlineData("    url: http://h/v1\n    body: {model: \" \"}\n", "agent profile 'p': parameters.body.model: required")]
    [InlineData("    url: http://h/v1\n    body: {model: m, max_tokens: -1}\n", "agent profile 'p': parameters.body.max_tokens: must be a number of at least 0, got -1")]
    [InlineData("    url: http://h/v1\n    body: {model: m, temperature: -0.5}\n", "agent profile 'p': parameters.body.temperature: must be a number of at least 0")]
    [InlineData("    url: http://h/v1\n    body: {model: m, temperature: hot}\n", "agent profile 'p': parameters.body.temperature: must be a number")]
    [InlineData("    url: http://h/v1\n    body: {model: m, tools: []}\n", "agent profile 'p': parameters.body.tools: is written by the agent itself")]
    [InlineData("    url: http://h/v1\n    body: {model: m}\n    retries: -1\n", "agent profile 'p': parameters.retries: must be a whole number from 0 to 10, got '-1'")]
    [InlineData("    url: http://h/v1\n    body: {model: m}\n    timeout_seconds: 0\n", "agent profile 'p': parameters.timeout_seconds: must be a number of seconds above 0")]
    [InlineData("    url: http://h/v1\n    body: {model: m}\n    timeout_seconds: -3\n", "agent profile 'p': parameters.timeout_seconds")]
    [InlineData("    url: http://h/v1\n    body: {model: m}\n    temperature: 0\n", "agent profile 'p': parameters.temperature: unknown field; known: url, headers, body, timeout_seconds, retries")]
    [InlineData("    url: http://h/v1\n    body: {model: m}\n    headers: [a]\n", "agent profile 'p': parameters.headers: must be a map")]
    [InlineData("    url: http://h/v1\n    body: {model: m}\n    headers: {\"Bad Name\": x}\n", "agent profile 'p': parameters.headers: 'Bad Name' is not a valid header name")]
    public void Parse_BadProfile_NamesProfileAndField(string parameters, string expected)
    {
        var error = Assert.Throws<AgentProfileException>(() => AgentProfiles.Parse("p:\n  parameters:\n" + parameters));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p: 3\n", "agent profile 'p': parameters: required")]
    [InlineData("p:\n  parameters: 3\n", "agent profile 'p': parameters: must be a map")]
    [InlineData("- a\n- b\n", "agent profiles: expected a map of profile names to profiles")]
    [InlineData("p: [\n", "agent profiles: not valid YAML (line 2")]
    public void Parse_BadFile_SaysWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<AgentProfileException>(() => AgentProfiles.Parse(text));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LiteralCredential_WarnsWithoutTheValue()
    {
        var profiles = AgentProfiles.Parse("p:\n  parameters:\n    url: http://h/v1\n    headers:\n      Authorization: Bearer sk-literal-123456\n    body: {model: m}\n");

        var warning = Assert.Single(profiles.Warnings);
        Assert.Contains("agent profile 'p': header Authorization holds a literal credential", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-literal-123456", warning, StringComparison.Ordinal);
        Assert.Equal("AgentProfile { Name = p, Endpoint = http://h/v1/, Model = m, Headers = [Authorization], Timeout = 00:01:00, Retries = 3 }", profiles.Get("p").ToString());
    }

    [Fact]
    public void Parse_SeedOnlyKeys_WarnedAndIgnored()
    {
        var profiles = AgentProfiles.Parse("p:\n  module: src.client.agents.HTTPAgent\n  parameters:\n    url: http://h/v1\n    body: {model: m}\n    return_format: \"{response}\"\n");

        Assert.Equal(
            ["agent profile 'p': 'module' is not used by ChaosLab (ignored)", "agent profile 'p': parameters.return_format is not used by ChaosLab (ignored)"],
            profiles.Warnings);
        Assert.Equal("m", profiles.Get("p").Model);
    }

    [Fact]
    public void Parse_Empty_NoProfiles()
    {
        var profiles = AgentProfiles.Parse("");

        Assert.Empty(profiles.All);
        Assert.Equal("no agent profile named 'x'; known: (none)", Assert.Throws<AgentProfileException>(() => profiles.Get("x")).Message);
    }

    [Fact]
    public void Load_File_ReadsIt()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "agents.yaml");
        File.WriteAllText(path, Seed);

        Assert.Equal(2, AgentProfiles.Load(path).All.Count);
        var missing = Assert.Throws<AgentProfileException>(() => AgentProfiles.Load(Path.Combine(directory.Path, "none.yaml")));
        Assert.EndsWith("none.yaml' not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DocumentedExample_ParsesWithoutWarnings()
    {
        var profiles = AgentProfiles.Load(Path.Combine(RepositoryRoot.Path, "docs", "examples", "agents.yaml"));

        Assert.NotEmpty(profiles.All);
        Assert.Empty(profiles.Warnings);
        Assert.All(profiles.All, p => Assert.NotEmpty(p.Variables));
    }

    [Fact]
    public void Parse_ProfileInAgentsDoc_AsDocumented()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "agents.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var profiles = AgentProfiles.Parse(yaml);

        Assert.Equal(["local-qwen", "openai"], profiles.All.Select(p => p.Name));
        Assert.Empty(profiles.Warnings);
        Assert.Equal(0.9, profiles.Get("local-qwen").Body["top_p"]!.GetValue<double>());
    }

    [Fact]
    public void ResolveHeaders_VariablesSet_Substituted()
    {
        var qwen = AgentProfiles.Parse(Seed).Get("local-qwen");
        var environment = new Dictionary<string, string> { ["QWEN_API_KEY"] = "sk-abc123", ["TEAM"] = "red" };

        var headers = qwen.ResolveHeaders(environment.GetValueOrDefault);

        Assert.Equal(["Bearer sk-abc123", "chaos-red"], headers.Select(h => h.Value));
        Assert.Empty(qwen.MissingVariables(environment.GetValueOrDefault));
    }

    [Fact]
    public void ResolveHeaders_VariableUnset_NamesVariableAndHeaderOnly()
    {
        var qwen = AgentProfiles.Parse(Seed).Get("local-qwen");
        var environment = new Dictionary<string, string> { ["TEAM"] = "red-team-secret" };

        var error = Assert.Throws<ProfileVariableException>(() => qwen.ResolveHeaders(environment.GetValueOrDefault));

        Assert.Equal("agent profile 'local-qwen': environment variable QWEN_API_KEY (used by header Authorization) is not set", error.Message);
        Assert.Equal(["QWEN_API_KEY"], qwen.MissingVariables(environment.GetValueOrDefault));
    }

    [Fact]
    public void Redact_HeaderValues_Blanked()
    {
        var qwen = AgentProfiles.Parse(Seed).Get("local-qwen");
        var environment = new Dictionary<string, string> { ["QWEN_API_KEY"] = "sk-abc123", ["TEAM"] = "red" };

        var redacted = qwen.Redact("Incorrect API key provided: sk-abc123 (team red)", environment.GetValueOrDefault);

        // Values shorter than 6 characters are no secret worth shredding the text for.
        Assert.Equal("Incorrect API key provided: *** (team red)", redacted);
    }

    [Fact]
    public void Body_YamlScalars_TypedAsYaml12Core()
    {
        var body = AgentProfiles.Parse("p:\n  parameters:\n    url: http://h/v1\n    body:\n      model: m\n      a: \"4\"\n      b: 4\n      c: true\n      d: ~\n      e: 'x'\n").Get("p").Body;

        Assert.Equal("""{"model":"m","a":"4","b":4,"c":true,"d":null,"e":"x"}""", body.ToJsonString());
        Assert.IsType<JsonObject>(body);
    }
}
