using ChaosLab.Core.Persistence.Providers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// The data-protection key ring behind antiforgery tokens and the dashboard's circuit and sign-in
/// cookies. Replicas on a shared PostgreSQL store keep it in the store under one application name,
/// so what one replica protected every other can read, on any host: what
/// <c>SetApplicationName(ApplicationName).PersistKeysToDbContext&lt;KeyRingDbContext&gt;()</c> does,
/// decided when the options are built, because the provider is only known from configuration then.
/// SQLite (one process) keeps the framework's default ring and discriminator.
/// </summary>
internal static class SharedKeyRing
{
    public const string ApplicationName = "ChaosLab";

    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection();
        services.AddDbContext<KeyRingDbContext>((provider, options) => provider.GetRequiredService<StoreDatabase>().Configure(options));
        services.AddOptions<DataProtectionOptions>().Configure<StoreDatabase>((options, database) =>
        {
            if (database.IsPostgres)
            {
                options.ApplicationDiscriminator = ApplicationName;
            }
        });
        services.AddOptions<KeyManagementOptions>().Configure<StoreDatabase, IServiceProvider, ILoggerFactory>((options, database, provider, loggers) =>
        {
            if (database.IsPostgres)
            {
                options.XmlRepository = new EntityFrameworkCoreXmlRepository<KeyRingDbContext>(provider, loggers);
            }
        });
        return services;
    }
}
