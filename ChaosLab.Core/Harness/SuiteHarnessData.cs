using System.Collections.Concurrent;

namespace ChaosLab.Core.Harness;

/// <summary>
/// What the harness knows about a suite besides its tools, from a small embedded data file per
/// suite (<c>Harness/Suites/&lt;suite&gt;.txt</c>, <c>general.txt</c> for a suite without one):
/// tool-name aliases for h2 and constraint lines for h3's contract. Public knowledge only: the
/// same lines a person would write after reading the suite's tool descriptions and guidance.
/// </summary>
/// <param name="Aliases">Normalized alias (see <see cref="ToolNameResolver.Normalize"/>) to tool name.</param>
/// <param name="Constraints">Tool name, or <see cref="AllTools"/>, to the lines added to its description.</param>
public sealed record SuiteHarnessData(IReadOnlyDictionary<string, string> Aliases, IReadOnlyDictionary<string, IReadOnlyList<string>> Constraints)
{
    /// <summary>The key of lines that apply to every tool but the submit tool.</summary>
    public const string AllTools = "*";

    private const string GeneralSuite = "general";

    // Embedded files never change: read and parsed once per suite name.
    private static readonly ConcurrentDictionary<string, SuiteHarnessData> Loaded = new(StringComparer.Ordinal);

    /// <summary>The data of <paramref name="suite"/>, or the general data when it has none.</summary>
    public static SuiteHarnessData For(string suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return Loaded.GetOrAdd(suite, name => Parse(HarnessResources.Read($"Suites.{name}.txt") ?? HarnessResources.Read($"Suites.{GeneralSuite}.txt")
            ?? throw new InvalidOperationException("The harness's general suite data is not embedded.")));
    }

    /// <summary>
    /// Reads the data format: <c># comment</c>, <c>alias: &lt;name&gt; -&gt; &lt;tool&gt;</c>, and
    /// <c>&lt;tool or *&gt;: &lt;constraint line&gt;</c>.
    /// </summary>
    public static SuiteHarnessData Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var constraints = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Harness suite data: '{line}' is neither 'alias: a -> b' nor 'tool: line'.");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "alias")
            {
                var parts = value.Split("->", StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    throw new FormatException($"Harness suite data: '{line}' is not 'alias: a -> b'.");
                }

                aliases[ToolNameResolver.Normalize(parts[0])] = parts[1];
            }
            else
            {
                if (!constraints.TryGetValue(key, out var lines))
                {
                    constraints[key] = lines = [];
                }

                lines.Add(value);
            }
        }

        return new SuiteHarnessData(aliases, constraints.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value, StringComparer.Ordinal));
    }

    /// <summary>The constraint lines of one tool: its own, then the suite-wide ones unless it is the submit tool.</summary>
    public IReadOnlyList<string> ConstraintsOf(string tool, bool isSubmit) =>
        [.. Constraints.GetValueOrDefault(tool) ?? [], .. isSubmit ? [] : Constraints.GetValueOrDefault(AllTools) ?? []];
}
