using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Results;

/// <summary>What a submitted piece of code is compared with.</summary>
public enum CodeBaseline
{
    /// <summary>The code as deployed, before the agent touched it.</summary>
    Original,

    /// <summary>The code of the agent's run before this one.</summary>
    Previous,
}

/// <summary>The code against one baseline: the diff (unchanged stretches collapsed) and how many lines went and came.</summary>
/// <param name="Lines">The unified diff with <see cref="CodeChange.Context"/> lines of context round each change.</param>
public sealed record CodeComparison(CodeBaseline Baseline, IReadOnlyList<DiffLine> Lines, int Added, int Removed)
{
    public bool Identical => Added == 0 && Removed == 0;
}

/// <summary>
/// The <c>code_change</c> convention of step results: <c>{"language","original","previous","after"}</c>,
/// code the agent ran or submitted (<c>after</c>) against the code as deployed (<c>original</c>) and
/// against its own previous run (<c>previous</c>, null for the first), as unified line diffs.
/// </summary>
public sealed class CodeChange
{
    /// <summary>The convention's property name.</summary>
    public const string PropertyName = "code_change";

    /// <summary>Unchanged lines kept round each change; longer unchanged stretches fold into one line.</summary>
    public const int Context = 3;

    private CodeChange(string? language, string original, string? previous, string after)
    {
        Language = language;
        Original = original;
        Previous = previous;
        After = after;
        AgainstOriginal = Compare(CodeBaseline.Original, original, after);
        AgainstPrevious = previous is null ? null : Compare(CodeBaseline.Previous, previous, after);
        AfterLines = after.Length == 0 ? [] : after.ReplaceLineEndings("\n").Split('\n');
    }

    /// <summary>The language the suite named (e.g. <c>python</c>), if it did.</summary>
    public string? Language { get; }

    public string Original { get; }

    /// <summary>The previous run's code; null when this is the first.</summary>
    public string? Previous { get; }

    public string After { get; }

    /// <summary>The code's lines, for the full listing with line numbers.</summary>
    public IReadOnlyList<string> AfterLines { get; }

    public CodeComparison AgainstOriginal { get; }

    /// <summary>Null when there was no previous run to compare with.</summary>
    public CodeComparison? AgainstPrevious { get; }

    /// <summary>The comparison with <paramref name="baseline"/>, the original when there is no previous run.</summary>
    public CodeComparison Against(CodeBaseline baseline) =>
        baseline == CodeBaseline.Previous && AgainstPrevious is { } previous ? previous : AgainstOriginal;

    /// <returns>
    /// null unless <c>original</c> and <c>after</c> are strings; a <c>previous</c> or <c>language</c>
    /// that is not a string is left out.
    /// </returns>
    public static CodeChange? Read(JsonNode? node)
    {
        if (node is not JsonObject obj || ResultJson.String(obj["original"]) is not { } original || ResultJson.String(obj["after"]) is not { } after)
        {
            return null;
        }

        return new CodeChange(
            ResultJson.String(obj["language"]) is { Length: > 0 } language ? language : null,
            original,
            ResultJson.String(obj["previous"]),
            after);
    }

    private static CodeComparison Compare(CodeBaseline baseline, string before, string after)
    {
        var lines = TextDiff.AlignSimilarLines(TextDiff.Lines(before, after));
        return new CodeComparison(
            baseline,
            TextDiff.Collapse(lines, Context),
            lines.Count(l => l.Kind == DiffKind.Added),
            lines.Count(l => l.Kind == DiffKind.Removed));
    }
}
