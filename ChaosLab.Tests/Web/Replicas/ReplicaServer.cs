using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.Replicas;

/// <summary>One replica: a real server with a data directory of its own, on a PostgreSQL database other replicas share.</summary>
public sealed class ReplicaServer(string id, string connectionString) : ChaosLabAppFactory(new Dictionary<string, string>
{
    ["ChaosLab:ReplicaId"] = id,
    ["ChaosLab:Database:Provider"] = "postgres",
    ["ChaosLab:Database:ConnectionString"] = connectionString,
});
