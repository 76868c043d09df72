using System.Text.Json;
using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChaosLab.Core.Scenarios;

/// <summary>
/// One transaction over the scenario tables (see <see cref="ScenarioStore.BeginWriteAsync"/>):
/// versions added here and the caller's own changes through <see cref="Context"/> are stored
/// together by <see cref="CommitAsync"/>, or not at all when it is disposed without committing.
/// </summary>
public sealed class ScenarioWrite : IAsyncDisposable
{
    private readonly ScenarioStore _store;
    private readonly IDbContextTransaction _transaction;
    private readonly List<ScenarioDocument> _added = [];
    private bool _committed;

    internal ScenarioWrite(ScenarioStore store, ChaosLabDbContext context, IDbContextTransaction transaction)
    {
        _store = store;
        Context = context;
        _transaction = transaction;
    }

    /// <summary>The context the write's transaction belongs to; what is saved through it commits with the versions.</summary>
    public ChaosLabDbContext Context { get; }

    /// <summary>One stored version (the latest when <paramref name="version"/> is null) as this transaction sees it, or null.</summary>
    public async Task<ScenarioDocument?> FindAsync(string id, int? version, CancellationToken cancellationToken = default)
    {
        var versions = Context.Scenarios.AsNoTracking().Where(s => s.Id == id);
        var row = version is { } v
            ? await versions.FirstOrDefaultAsync(s => s.Version == v, cancellationToken)
            : await versions.OrderByDescending(s => s.Version).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ScenarioStore.ToDocument(row);
    }

    /// <summary>
    /// Adds <paramref name="document"/> as the next version of its id (see
    /// <see cref="ScenarioStore.AddVersionAsync"/> for the rules), counting versions added
    /// earlier in this write. Nothing is added when it returns errors.
    /// </summary>
    public async Task<ScenarioAddResult> AddAsync(JsonElement document, string? author, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_store.Validate(document) is { Count: > 0 } errors)
        {
            return ScenarioAddResult.Invalid(errors);
        }

        var added = ScenarioDocument.From(document, ScenarioSource.Stored);
        var previous = await FindAsync(added.Id, null, cancellationToken) ?? _store.BuiltIn(added.Id);
        if (ScenarioStore.Continuity(previous, added) is { } conflict)
        {
            return ScenarioAddResult.Invalid([conflict]);
        }

        Context.Scenarios.Add(new ScenarioEntity
        {
            Id = added.Id,
            Version = added.Version,
            Suite = added.Suite,
            TaskId = added.TaskId,
            Tier = added.Tier,
            Family = added.Family,
            Title = added.Title,
            DocumentJson = added.Content.GetRawText(),
            CreatedAt = _store.Now,
            Author = author,
        });
        // Saved at once (still inside the transaction) so the next version of the same id sees it.
        await Context.SaveChangesAsync(cancellationToken);
        _added.Add(added);
        return ScenarioAddResult.Success(added);
    }

    /// <summary>Saves the context's pending changes and commits everything; resets see the added versions from now on.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        await Context.SaveChangesAsync(cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
        _store.Remember(_added);
    }

    /// <summary>Rolls back whatever was not committed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await Context.DisposeAsync();
    }
}
