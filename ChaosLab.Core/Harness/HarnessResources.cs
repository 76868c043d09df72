namespace ChaosLab.Core.Harness;

/// <summary>The harness's embedded data files (suite data, skills), by their path under <c>Harness/</c> with dots.</summary>
internal static class HarnessResources
{
    private const string Prefix = "ChaosLab.Core.Harness.";

    /// <summary>The text of <c>Harness/&lt;name&gt;</c> (e.g. <c>Suites.tools.txt</c>), or null when it is not embedded.</summary>
    public static string? Read(string name)
    {
        using var stream = typeof(HarnessResources).Assembly.GetManifestResourceStream(Prefix + name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    /// <summary>The names (as <see cref="Read"/> takes them) of every embedded file under <c>Harness/&lt;folder&gt;</c>.</summary>
    public static IReadOnlyList<string> List(string folder) =>
        [.. typeof(HarnessResources).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + folder + ".", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal)];
}
