using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Integrity;

/// <summary>
/// Where this process's <see cref="SealKey"/> comes from: the configured secret; else, on PostgreSQL,
/// the store's <see cref="SecretName"/> secret, created by whichever replica starts first, so that an
/// evaluation item gets the same sealed seed on every replica; else (SQLite, one process) the data
/// directory's <see cref="SealKey.FileName"/>. Loaded once at start-up, after the schema is current.
/// </summary>
public sealed class SealKeySource(
    IOptions<IntegrityOptions> integrity,
    IOptions<ChaosLabOptions> options,
    StoreDatabase database,
    StoreSecrets secrets)
{
    /// <summary>The name of the seal key in <see cref="StoreSecrets"/>.</summary>
    public const string SecretName = "seal_key";

    private volatile SealKey? _key;

    /// <exception cref="InvalidOperationException">Before <see cref="LoadAsync"/>: a seed sealed then could differ from every later one.</exception>
    public SealKey Key => _key ?? throw new InvalidOperationException(
        "The seal key is loaded at start-up, once the store's schema is current; nothing can seal a seed before.");

    public async Task<SealKey> LoadAsync(CancellationToken cancellationToken = default)
    {
        _key ??= await ReadAsync(cancellationToken);
        return _key;
    }

    private async Task<SealKey> ReadAsync(CancellationToken cancellationToken)
    {
        if (integrity.Value.SealKey is { Length: > 0 } configured)
        {
            return SealKey.FromSecret(configured);
        }

        if (!database.IsPostgres)
        {
            return SealKey.Load(null, options.Value.DataDirectory);
        }

        var stored = await secrets.GetOrAddAsync(SecretName, SealKey.NewSecret(), cancellationToken);
        if (stored.Length < 32)
        {
            throw new InvalidOperationException(
                $"The store's {SecretName} secret is shorter than 32 characters; restore it, or delete its row to create a new key.");
        }

        return SealKey.FromSecret(stored);
    }
}
