using ChaosLab.Core.Integrity;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Replicas;

/// <summary>
/// Two real servers on one PostgreSQL database, each with its own data directory and no configured
/// seal key: both seal an evaluation item with the same seed, so a run spread over them reproduces.
/// </summary>
public sealed class SharedSealKeyTests
{
    [PostgresFact]
    public async Task StartedReplicas_NoConfiguredKey_SealTheSameSeedsWithNoKeyFile()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var r1 = new ReplicaServer("r1", database);
        using var r2 = new ReplicaServer("r2", database);

        var (seeds1, seeds2) = (r1.Services.GetRequiredService<SealedSeeds>(), r2.Services.GetRequiredService<SealedSeeds>());

        Assert.NotEqual(r1.DataDirectory, r2.DataDirectory);
        Assert.Equal(seeds1.ForEvaluation("run-1", "W01", 2), seeds2.ForEvaluation("run-1", "W01", 2));
        Assert.Equal(seeds1.ForEpisode("ep-1"), seeds2.ForEpisode("ep-1"));
        Assert.False(File.Exists(Path.Combine(r1.DataDirectory, SealKey.FileName)));
        Assert.False(File.Exists(Path.Combine(r2.DataDirectory, SealKey.FileName)));
    }
}
