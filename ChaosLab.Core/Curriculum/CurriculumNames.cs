using System.Text.RegularExpressions;

namespace ChaosLab.Core.Curriculum;

/// <summary>
/// What a curriculum may be called: it appears in addresses (<c>/api/curricula/{name}</c>,
/// <c>/web/curricula/{name}</c>) and logs, so letters, digits, '.', '_' and '-' only.
/// </summary>
public static partial class CurriculumNames
{
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="name"/> is not a valid curriculum name, or null if it is.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length is 0 or > MaxLength || !Pattern().IsMatch(name)
            ? $"A curriculum name is 1 to {MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit."
            : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
