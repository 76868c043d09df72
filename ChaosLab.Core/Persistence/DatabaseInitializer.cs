using ChaosLab.Core.Persistence.Schema;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Persistence;

/// <summary>Prepares the configured database before anything else uses it.</summary>
public sealed class DatabaseInitializer(IOptions<ChaosLabOptions> options, SchemaMigrator migrator)
{
    public Task<int> InitializeAsync(CancellationToken cancellationToken = default) =>
        migrator.MigrateAsync(options.Value.DatabasePath, cancellationToken);
}
