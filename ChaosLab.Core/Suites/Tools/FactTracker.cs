namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Which key facts the agent really received, from which independent sources, and which ones a
/// fault kept from it. Only retrieval results count; a fact counts as received only when the
/// delivered text names the entity and states the correct value (a stale, corrupted, dropped or
/// cut-off value does not).
/// </summary>
public sealed class FactTracker(IReadOnlyList<KeyFact> facts)
{
    private readonly Dictionary<string, SortedSet<string>> _sources = facts.ToDictionary(f => f.Id, _ => new SortedSet<string>(StringComparer.Ordinal));
    private readonly HashSet<string> _hit = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recovered = new(StringComparer.Ordinal);

    public IReadOnlyList<KeyFact> Facts { get; } = facts;

    /// <summary>What a step changed, for its shaped reward.</summary>
    public readonly record struct Update(int NewFacts, int NewCrossChecks, int Recoveries, int NewHits);

    /// <summary>Records one retrieval call: what it would have returned and what it delivered.</summary>
    /// <param name="arguments">The call's canonical arguments: a query that names the entity ties an unlabelled value ("population": 123) to it.</param>
    public Update Observe(string tool, string arguments, string? clean, string delivered, bool faultFired)
    {
        var source = ToolNames.SourceOf(tool);
        int newFacts = 0, cross = 0, recoveries = 0, hits = 0;
        foreach (var fact in Facts)
        {
            var got = Contains(delivered, fact, arguments);
            if (got)
            {
                var sources = _sources[fact.Id];
                if (sources.Add(source))
                {
                    if (sources.Count == 1)
                    {
                        newFacts++;
                    }
                    else if (sources.Count == 2)
                    {
                        cross++;
                    }
                }

                if (_hit.Contains(fact.Id) && _recovered.Add(fact.Id))
                {
                    recoveries++;
                }
            }
            else if (faultFired && clean is not null && Contains(clean, fact, arguments) && _hit.Add(fact.Id))
            {
                hits++;
            }
        }

        return new Update(newFacts, cross, recoveries, hits);
    }

    public int Received => _sources.Count(s => s.Value.Count > 0);

    /// <summary>Facts that at least two independent sources delivered.</summary>
    public int CrossValidated => _sources.Count(s => s.Value.Count >= 2);

    /// <summary>Facts a fault kept from the agent on some call.</summary>
    public int Hit => _hit.Count;

    /// <summary>Hit facts the agent still obtained afterwards.</summary>
    public int Recovered => _recovered.Count;

    public IReadOnlyCollection<string> SourcesOf(string factId) => _sources[factId];

    /// <summary>The value must be in the result; the entity may be named by the result or by the call.</summary>
    internal static bool Contains(string text, KeyFact fact, string arguments = "")
    {
        if (!text.Contains(fact.Entity, StringComparison.OrdinalIgnoreCase) && !arguments.Contains(fact.Entity, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return fact.Number is { } n ? NumberScanner.ContainsNumber(text, n) : text.Contains(fact.Text!, StringComparison.OrdinalIgnoreCase);
    }
}
