namespace ChaosLab.Core.Scenarios;

/// <summary>
/// Every scenario a reset can name, as documents: each suite's built-in ones merged with the
/// store, where a stored version of a built-in id is that scenario's newer revision.
/// </summary>
public sealed class ScenarioLibrary(IEnumerable<IScenarioFormat> formats, ScenarioStore store)
{
    public IReadOnlyList<IScenarioFormat> Formats { get; } = [.. formats];

    public IScenarioFormat? Format(string suite) =>
        Formats.FirstOrDefault(f => string.Equals(f.Suite, suite, StringComparison.OrdinalIgnoreCase));

    /// <summary>The version of each scenario a reset plays (the latest), built-in order first, then stored ids.</summary>
    public async Task<IReadOnlyList<ScenarioDocument>> ListAsync(string? suite, CancellationToken cancellationToken = default)
    {
        var stored = (await store.ListLatestAsync(cancellationToken)).ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase);
        var builtIn = Formats.SelectMany(f => f.BuiltIn).ToList();
        var builtInIds = builtIn.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. builtIn.Select(d => stored.GetValueOrDefault(d.Id) ?? d)
            .Concat(stored.Values.Where(d => !builtInIds.Contains(d.Id)))
            .Where(d => suite is null || string.Equals(d.Suite, suite, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>One version of a scenario (the latest when <paramref name="version"/> is null), or null.</summary>
    public async Task<ScenarioDocument?> FindAsync(string id, int? version, CancellationToken cancellationToken = default)
    {
        var builtIn = Formats.SelectMany(f => f.BuiltIn).FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
        if (version is { } v && builtIn?.Version == v)
        {
            return builtIn;
        }

        return await store.FindAsync(id, version, cancellationToken) ?? (version is null ? builtIn : null);
    }
}
