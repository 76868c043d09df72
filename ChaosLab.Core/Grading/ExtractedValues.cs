namespace ChaosLab.Core.Grading;

/// <summary>The scale word or suffix that multiplied a number ("4.2B", "1.5 thousand").</summary>
public enum NumberScale
{
    None,
    Thousand,
    Million,
    Billion,
    Trillion,
}

/// <summary>A number found in text, with its scale already applied to <paramref name="Value"/>.</summary>
/// <param name="Value">The value as meant: "$4.2B" is 4200000000, "12.5%" is 12.5, "2.3x" is 2.3.</param>
/// <param name="Start">Offset of the first character of the number's text (sign or currency included).</param>
/// <param name="Text">The text the number was read from, e.g. "USD 4,200 million".</param>
/// <param name="IsMultiplier">Written as a ratio: "2.3x", "2.3 times", "2.3-fold", "a factor of 2.3".</param>
public sealed record ExtractedNumber(
    double Value,
    int Start,
    int Length,
    string Text,
    NumberScale Scale,
    bool IsPercent,
    bool IsCurrency,
    bool IsMultiplier = false);

/// <summary>A calendar date found in text.</summary>
public sealed record ExtractedDate(DateOnly Value, int Start, int Length, string Text);

/// <summary>A yes/no verdict found in text, negation already applied.</summary>
/// <param name="Text">The polar word that carried it ("inaccurate", "accurate" in "not accurate").</param>
public sealed record ExtractedBoolean(bool Value, int Start, int Length, string Text);

/// <summary>A whole-word mention of one of the names given to <see cref="EntityMatcher"/>.</summary>
/// <param name="Name">The name, as given, that matched.</param>
public sealed record EntityMention(string Name, int Start, int Length);
