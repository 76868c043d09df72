using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model.Runs;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Runs;

public sealed class RunAgentCatalogTests
{
    private static readonly AgentChoice Profile = new("local-qwen", "anywhere.yaml", null);
    private static readonly AgentChoice Reference = new(null, null, "naive");

    [Fact]
    public void Options_TwoSuites_EveryReferenceAgentWithItsSuite()
    {
        var options = Catalog(agentsFile: null, adminKey: null).Options();

        Assert.Equal(new ToolsSuite().ReferenceAgents.Count + new MastSuite().ReferenceAgents.Count, options.Count);
        Assert.Equal(("reference:naive", "naive (reference, tools)", "tools"), (options[0].Value, options[0].Label, options[0].Group));
    }

    [Fact]
    public void Options_AgentsFile_ProfilesAfterTheReferenceAgents()
    {
        var file = Path.Combine(RepositoryRoot.Path, "docs", "examples", "agents.yaml");

        var catalog = Catalog(file, null);
        var profiles = catalog.Options().Where(o => o.Group == RunAgentOption.ProfilesGroup).ToList();

        Assert.Equal(("profile:local-qwen", "local-qwen (Qwen/Qwen3-4B-Instruct)"), (profiles[0].Value, profiles[0].Label));
        Assert.Equal(new AgentChoice("local-qwen", file, null), profiles[0].Choice);
        Assert.Null(catalog.ProfilesProblem());
    }

    [Fact]
    public void Options_MissingAgentsFile_OnlyReferenceAgentsAndTheProblemSaid()
    {
        var catalog = Catalog("/no/such/agents.yaml", null);

        Assert.DoesNotContain(catalog.Options(), o => o.Group == RunAgentOption.ProfilesGroup);
        Assert.Contains("not found", catalog.ProfilesProblem(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, RunAgentCatalog.NoAgentsFile)]
    [InlineData("agents.yaml", null, RunAgentCatalog.AdminKeyFirst)]
    [InlineData("agents.yaml", "an-admin-key-of-16+chars", null)]
    public void Refusal_ModelProfile_NeedsAnAgentsFileAndAnAdminKey(string? agentsFile, string? adminKey, string? expected)
    {
        Assert.Equal(expected, Catalog(agentsFile, adminKey).Refusal(Profile));
    }

    [Fact]
    public void Refusal_ReferenceAgentWithAgentsFileButNoKey_Allowed()
    {
        Assert.Null(Catalog("agents.yaml", null).Refusal(Reference));
    }

    [Fact]
    public void ForServer_SubmittedFilesAndOutput_ReplacedByTheServers()
    {
        var submitted = new Assignment("x", Profile, HarnessOptions.All, [new TaskSelection("tools", null, null, null)], "test", [1], 1, 1, "/etc/somewhere");

        var played = Catalog("server-agents.yaml", null).ForServer(submitted);

        Assert.Equal(("server-agents.yaml", (string?)null), (played.Agent.ProfilesFile, played.Output));
        Assert.Null(Catalog("server-agents.yaml", null).ForServer(submitted with { Agent = Reference with { ProfilesFile = "x.yaml" } }).Agent.ProfilesFile);
    }

    private static RunAgentCatalog Catalog(string? agentsFile, string? adminKey) => new(
        new SuiteCatalog([new ToolsSuite(), new MastSuite()]),
        Options.Create(new EvaluationOptions { AgentsFile = agentsFile }),
        new AdminKey(Options.Create(new AuthoringOptions { AdminKey = adminKey })));
}
