using System.Text;

namespace ChaosLab.Core.Grading;

/// <summary>Case and diacritic folding for matching names and words ("Zürich" = "zurich").</summary>
/// <remarks>
/// A fixed table rather than <see cref="string.Normalize()"/>: the app runs in invariant
/// globalization mode, and a table keeps grading identical on every host.
/// </remarks>
internal static class TextFolding
{
    private const string Accented =
        "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž";

    private const string Plain =
        "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzz";

    private static readonly Dictionary<char, char> SingleCharFolds = BuildSingleCharFolds();

    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            AppendFolded(builder, c);
        }

        return builder.ToString();
    }

    public static void AppendFolded(StringBuilder builder, char c)
    {
        var lower = char.ToLowerInvariant(c);
        if (lower < 128)
        {
            builder.Append(lower);
        }
        else if (SingleCharFolds.TryGetValue(lower, out var plain))
        {
            builder.Append(plain);
        }
        else
        {
            builder.Append(lower switch
            {
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'þ' => "th",
                '\u2019' or '\u2018' or '\u02BC' => "'",
                _ => lower.ToString(),
            });
        }
    }

    private static Dictionary<char, char> BuildSingleCharFolds()
    {
        var folds = new Dictionary<char, char>(Accented.Length);
        for (var i = 0; i < Accented.Length; i++)
        {
            folds[Accented[i]] = Plain[i];
        }

        return folds;
    }
}
