using System.Net;
using System.Text.Json;
using ChaosLab.Core;
using ChaosLab.Core.Curriculum;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Npgsql;

namespace ChaosLab.Tests.Web.Endpoints;

/// <summary>The whole server on PostgreSQL: the store created there at start-up, no SQLite file or data-directory lock, the API reading it.</summary>
public sealed class PostgresHostingTests
{
    [PostgresFact]
    public async Task Start_PostgresProvider_SchemaInThatDatabaseAndNoFileInTheDataDirectory()
    {
        using var app = new PostgresAppFactory();
        using var client = app.CreateHttpClient();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var rules = JsonSerializer.Serialize(CurriculumRules.Default(["warmup", "expert"]), CoreJsonContext.Default.CurriculumRules);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO curricula (name, suite, rules_json, current_tier, created_at, updated_at)
            VALUES ('written-in-postgres', 'tools', @rules, 'warmup', 1795253400000, 1795253400000)
            """, connection))
        {
            insert.Parameters.AddWithValue("rules", rules);
            await insert.ExecuteNonQueryAsync();
        }

        var curricula = await client.GetAsync(new Uri("/api/curricula", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, curricula.StatusCode);
        Assert.Contains("\"written-in-postgres\"", await curricula.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Neither the SQLite file nor its one-process lock: replicas share the data.
        Assert.Empty(Directory.GetFiles(app.DataDirectory, "chaoslab.*"));
        await using var version = new NpgsqlCommand("SELECT MAX(version) FROM chaoslab_schema", connection);
        Assert.Equal(ChaosLab.Core.Persistence.Schema.SchemaHistory.CurrentVersion, await version.ExecuteScalarAsync());
    }

    private sealed class PostgresAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>(), StoreProvider.Postgres);
}
