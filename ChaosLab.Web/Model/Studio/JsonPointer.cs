namespace ChaosLab.Web.Model.Studio;

/// <summary>JSON Pointers (RFC 6901) as the editor uses them: to name fields and to place errors on them.</summary>
public static class JsonPointer
{
    /// <summary>The path of <paramref name="segment"/> inside <paramref name="path"/> (escaping <c>~</c> and <c>/</c>).</summary>
    public static string Append(string path, string segment) =>
        path + "/" + segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <inheritdoc cref="Append(string, string)"/>
    public static string Append(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The unescaped reference tokens of a path (none for the whole document, <c>""</c>).</summary>
    public static IReadOnlyList<string> Segments(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [];
        }

        return [.. path.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    /// <summary>
    /// Whether <paramref name="path"/> is <paramref name="field"/> or inside it, token by token:
    /// <c>/tags/0</c> is inside <c>/tags</c>, <c>/tags_extra</c> is not.
    /// </summary>
    public static bool IsAtOrInside(string path, string field) =>
        path.Length == field.Length
            ? string.Equals(path, field, StringComparison.Ordinal)
            : path.Length > field.Length && path[field.Length] == '/' && path.StartsWith(field, StringComparison.Ordinal);
}
