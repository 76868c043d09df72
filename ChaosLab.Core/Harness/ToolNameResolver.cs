using System.Text;

namespace ChaosLab.Core.Harness;

/// <summary>
/// h2's reading of a tool name the model wrote: exact, off by case or separators
/// (<c>Search-Docs</c>, <c>searchDocs</c>, <c>search docs</c>), behind a namespace
/// (<c>functions.search_docs</c>), a known alias of the suite, or a near miss
/// (<see cref="NearMissThreshold"/>) with one best match. Anything else stays unknown.
/// </summary>
public sealed class ToolNameResolver
{
    /// <summary>
    /// The least similarity (1 - edit distance / longer length, on normalized names) a near miss
    /// needs: one typo in a name of 7 or more letters passes (web_serch, calculater), while the
    /// closest distinct pairs of the real suites (scratchpad_read/scratchpad_write at 0.73,
    /// read_trace/read_source at 0.6) stay apart.
    /// </summary>
    public const double NearMissThreshold = 0.85;

    private readonly IReadOnlyList<string> _tools;
    private readonly Dictionary<string, string> _byNormalized;
    private readonly Dictionary<string, string> _aliases;

    /// <param name="aliases">Normalized alias to tool name; aliases naming a tool not in <paramref name="tools"/> are ignored.</param>
    public ToolNameResolver(IReadOnlyList<string> tools, IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(aliases);
        _tools = tools;
        _byNormalized = tools.GroupBy(Normalize, StringComparer.Ordinal).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
        _aliases = aliases.Where(a => tools.Contains(a.Value, StringComparer.Ordinal)).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>The tool <paramref name="written"/> means and why it differs, or null when none is clear.</summary>
    public ResolvedToolName? Resolve(string written)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (_tools.Contains(written, StringComparer.Ordinal))
        {
            return new ResolvedToolName(written, null);
        }

        var normalized = Normalize(written);
        if (_byNormalized.TryGetValue(normalized, out var byShape))
        {
            return new ResolvedToolName(byShape, "tool name off by case or separators");
        }

        // "functions.web_search", "default_api:web_search": the namespace some models put in front.
        var lastSegment = written.Split('.', ':', '/').Last();
        if (lastSegment.Length < written.Length && _byNormalized.TryGetValue(Normalize(lastSegment), out var unprefixed))
        {
            return new ResolvedToolName(unprefixed, "tool name with a namespace prefix");
        }

        if (_aliases.TryGetValue(normalized, out var aliased))
        {
            return new ResolvedToolName(aliased, "known alias of a tool");
        }

        return NearMiss(normalized) is { } near ? new ResolvedToolName(near, "tool name misspelt") : null;
    }

    /// <summary>Lowercase letters and digits only: the form names are compared in.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>1 - Levenshtein distance / the longer length: 1 for equal strings, 0 for nothing in common.</summary>
    public static double Similarity(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var longer = Math.Max(a.Length, b.Length);
        return longer == 0 ? 1 : 1 - (double)Levenshtein(a, b) / longer;
    }

    private string? NearMiss(string normalized)
    {
        if (normalized.Length == 0)
        {
            return null;
        }

        var scored = _byNormalized.Select(t => (Tool: t.Value, Score: Similarity(normalized, t.Key))).OrderByDescending(t => t.Score).Take(2).ToList();
        if (scored.Count == 0 || scored[0].Score < NearMissThreshold)
        {
            return null;
        }

        // Two tools equally close: guessing between them could run the wrong one.
        return scored.Count > 1 && scored[1].Score == scored[0].Score ? null : scored[0].Tool;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

/// <param name="Repair">Why the name differs from what was written (a short trigger), or null when it was exact.</param>
public sealed record ResolvedToolName(string Tool, string? Repair);
