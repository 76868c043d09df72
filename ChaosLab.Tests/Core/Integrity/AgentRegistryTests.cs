using System.ComponentModel.DataAnnotations;
using ChaosLab.Core.Integrity;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Integrity;

public sealed class AgentRegistryTests
{
    private const string Key = "a-long-enough-agent-key";

    private static readonly AgentRegistry Registry = new(Options.Create(new IntegrityOptions { Agents = new() { ["my-agent"] = Key } }));

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

    [Theory]
    [InlineData("naive", Key, "reserved")]
    [InlineData("my-agent", "short", "at least 16")]
    public void Validate_BadRegistration_Refused(string name, string key, string message)
    {
        var options = new IntegrityOptions { Agents = new() { [name] = key } };

        var results = options.Validate(new ValidationContext(options)).ToList();

        Assert.Contains(results, r => r.ErrorMessage!.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShortSealKey_Refused()
    {
        var options = new IntegrityOptions { SealKey = "too-short" };

        Assert.Single(options.Validate(new ValidationContext(options)));
    }
}
