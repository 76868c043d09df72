using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using ChaosLab.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Replicas;

/// <summary>
/// The data-protection key ring (antiforgery tokens, the dashboard's cookies): in the store when
/// replicas share PostgreSQL, so what one replica protected another reads, on any host; SQLite keeps
/// the framework's default ring.
/// </summary>
public sealed class SharedKeyRingTests
{
    private const string Purpose = "ChaosLab.Tests.SharedKeyRing";

    [PostgresFact]
    public async Task Protect_OnOneReplica_UnprotectedByTheOtherThroughTheStoresKeyRing()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var r1 = new ReplicaServer("r1", database);
        using var r2 = new ReplicaServer("r2", database);

        var payload = r1.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("antiforgery of r1");
        var read = r2.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(payload);

        Assert.Equal("antiforgery of r1", read);
        Assert.IsType<EntityFrameworkCoreXmlRepository<KeyRingDbContext>>(r2.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        // Both replicas use the key r1 created, stored once, not one ring per process.
        using var scope = r2.Services.CreateScope();
        Assert.Single(await scope.ServiceProvider.GetRequiredService<KeyRingDbContext>().DataProtectionKeys.ToListAsync());
    }

    [Fact]
    public async Task Protect_OnSqlite_KeepsTheDefaultRingOutOfTheStore()
    {
        using var server = new ChaosLabAppFactory();

        var payload = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("one process");

        Assert.Equal("one process", server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(payload));
        Assert.IsNotType<EntityFrameworkCoreXmlRepository<KeyRingDbContext>>(server.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        using var scope = server.Services.CreateScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<KeyRingDbContext>().DataProtectionKeys.ToListAsync());
    }
}
