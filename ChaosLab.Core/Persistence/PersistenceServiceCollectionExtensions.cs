using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store on the database <see cref="DatabaseOptions"/> names (by default the
    /// SQLite file under <see cref="ChaosLabOptions.DataDirectory"/>, or PostgreSQL). The schema is
    /// not touched here: call <see cref="DatabaseInitializer.InitializeAsync"/> at start-up. An
    /// invalid <see cref="DatabaseOptions"/> fails the first resolution of <see cref="StoreDatabase"/>
    /// with the validator's message (the host validates it at start).
    /// </summary>
    public static IServiceCollection AddChaosLabPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.TryAddSingleton<Replicas.ReplicaIdentity>();
        services.TryAddSingleton<Replicas.ReplicaRegistry>();
        services.TryAddSingleton<StoreDatabase>(provider =>
            provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseOptions.Postgres
                ? provider.GetRequiredService<PostgresStoreDatabase>()
                : provider.GetRequiredService<SqliteStoreDatabase>());
        services.TryAddSingleton<SqliteStoreDatabase>();
        services.TryAddSingleton<PostgresStoreDatabase>();
        services.AddDbContextFactory<ChaosLabDbContext>((provider, builder) => provider.GetRequiredService<StoreDatabase>().Configure(builder));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new SchemaMigrator(
            provider.GetRequiredService<TimeProvider>(), provider.GetService<ILogger<SchemaMigrator>>()));
        services.AddSingleton(provider => new Schema.Postgres.PostgresSchemaMigrator(
            provider.GetRequiredService<TimeProvider>(), provider.GetService<ILogger<Schema.Postgres.PostgresSchemaMigrator>>()));
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<EpisodeStore>();
        services.AddSingleton<StoreSecrets>();
        services.AddSingleton<Storage.StoreStatistics>();
        services.AddOptions<Retention.RetentionOptions>();
        services.AddSingleton<Retention.EpisodeRetention>();
        services.AddSingleton<Curriculum.CurriculumStore>();
        services.AddSingleton<Evaluation.RunStore>();
        services.AddSingleton<Evaluation.AgentTraceStore>();
        return services;
    }
}
