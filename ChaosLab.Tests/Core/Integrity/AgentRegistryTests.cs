using System.ComponentModel.DataAnnotations;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Core.Suites.Tools.Agents.Exploits;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Integrity;

public sealed class AgentRegistryTests
{
    private const string Key = "a-long-enough-agent-key";

    private static readonly AgentRegistry Registry = new(Options.Create(new IntegrityOptions { Agents = new() { ["my-agent"] = Key } }), new SuiteCatalog([new ToolsSuite()]));

    [Fact]
    public void Identify_RegisteredNameWithItsKey_Verified()
    {
        var identity = Registry.Identify("my-agent", Key);

        Assert.True(identity.IsVerified);
        Assert.Null(identity.Refusal);
    }

    [Theory]
    [InlineData("my-agent", null, "registered")]
    [InlineData("my-agent", "a-long-enough-agent-keY", "Wrong agent_key")]
    [InlineData("my-agent", "", "Wrong agent_key")]
    [InlineData("stranger", Key, "not registered")]
    [InlineData("resilient", null, "reserved")]
    [InlineData("Human", null, "reserved")]
    public void Identify_NameNotItsToUse_RefusedWithTheReason(string agent, string? key, string reason)
    {
        var identity = Registry.Identify(agent, key);

        Assert.False(identity.IsVerified);
        Assert.Contains(reason, identity.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_UnregisteredNameWithoutKey_PlaysUnverified()
    {
        var identity = Registry.Identify("stranger", null);

        Assert.Equal(AgentIdentity.Unregistered, identity);
    }

    [Fact]
    public void Validate_ShortKey_Refused()
    {
        var options = new IntegrityOptions { Agents = new() { ["my-agent"] = "short" } };

        var results = options.Validate(new ValidationContext(options)).ToList();

        Assert.Contains(results, r => r.ErrorMessage!.Contains("at least 16", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("naive")]
    [InlineData("Human")]
    [InlineData("toy-bot")]
    public void ReservedAgentNamesValidation_RegistrationUnderASuitesAgentOrHuman_Refused(string name)
    {
        var suites = new SuiteCatalog([new ToolsSuite(), new ToySuite("toy", "toy-bot")]);
        var options = new IntegrityOptions { Agents = new() { [name] = Key } };

        var result = new ReservedAgentNamesValidation(suites).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("reserved", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ReservedNames_TwoSuites_EverySuitesReferenceAndExploitAgentsAndHuman()
    {
        var registry = new AgentRegistry(Options.Create(new IntegrityOptions()), new SuiteCatalog([new ToolsSuite(), new ToySuite("toy", "toy-bot")]));

        Assert.Equal(["naive", "retrying", "resilient", .. ToolsExploits.All.Select(a => a.Name), "toy-bot", "human"], registry.ReservedNames);
    }

    [Fact]
    public void Validate_ShortSealKey_Refused()
    {
        var options = new IntegrityOptions { SealKey = "too-short" };

        Assert.Single(options.Validate(new ValidationContext(options)));
    }
}
