using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Recording;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>The server's <see cref="EnvironmentGateway"/> over a <see cref="RecordingHarness"/>, without the web host.</summary>
public static class TestGateway
{
    public static SealedSeeds SealedSeeds { get; } = new(SealKey.FromSecret("the seal key of tests, not a secret of any server"));

    public static EnvironmentGateway Create(RecordingHarness harness, SuiteCatalog catalog, int maxSessions = 64)
    {
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Options.Create(new OpenEnvOptions { MaxSessions = maxSessions, DefaultSuite = catalog.Suites.Count > 0 ? catalog.Suites[0].Name : "tools" });
        var sessions = new SessionRegistry(options, harness.Recorder, new EpisodeClaims(), TimeProvider.System, new ChaosLab.Core.Replicas.ReplicaIdentity(Options.Create(new ChaosLab.Core.ChaosLabOptions { ReplicaId = "test" })), harness.Metrics);
        var agents = new AgentRegistry(Options.Create(new IntegrityOptions()), catalog);
        return new EnvironmentGateway(catalog, sessions, harness.Store, agents, SealedSeeds, harness.Curricula, options);
    }
}
