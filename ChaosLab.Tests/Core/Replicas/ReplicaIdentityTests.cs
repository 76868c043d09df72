using ChaosLab.Core;
using ChaosLab.Core.Replicas;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Replicas;

public sealed class ReplicaIdentityTests
{
    [Fact]
    public void Id_Configured_UsedAsGiven()
    {
        Assert.Equal("replica-2", new ReplicaIdentity(Options.Create(new ChaosLabOptions { ReplicaId = "replica-2" })).Id);
    }

    [Fact]
    public void Id_NotConfigured_HostAndProcessWithinTheAllowedAlphabet()
    {
        var id = new ReplicaIdentity(Options.Create(new ChaosLabOptions())).Id;

        Assert.Matches("^[A-Za-z0-9_-]{1,40}$", id);
        Assert.EndsWith("-" + System.Environment.ProcessId, id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("dots.are.not.allowed")]
    [InlineData("a-name-that-is-far-longer-than-forty-characters")]
    public void ReplicaId_Unsafe_FailsValidation(string id)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new ChaosLabOptions { ReplicaId = id };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(ChaosLabOptions.ReplicaId)));
    }
}
