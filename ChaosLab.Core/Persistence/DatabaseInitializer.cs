using ChaosLab.Core.Persistence.Providers;

namespace ChaosLab.Core.Persistence;

/// <summary>Prepares the configured database before anything else uses it.</summary>
public sealed class DatabaseInitializer(StoreDatabase database)
{
    public Task<int> InitializeAsync(CancellationToken cancellationToken = default) => database.MigrateAsync(cancellationToken);
}
