using System.Globalization;

namespace ChaosLab.Core.Grading;

/// <summary>The type of value an answer slot holds.</summary>
public enum SlotKind
{
    Number,
    Date,
    Boolean,
    Entity,
}

/// <summary>One graded slot of a question.</summary>
/// <param name="Name">The key a structured answer uses for this slot (<c>{"population": ...}</c>, <c>population: ...</c>).</param>
/// <param name="Weight">Relative weight of the slot in the episode's correctness.</param>
/// <param name="Expected">
/// A number (any boxed numeric type) for <see cref="SlotKind.Number"/>, a <see cref="DateOnly"/> for
/// <see cref="SlotKind.Date"/>, a <see cref="bool"/> for <see cref="SlotKind.Boolean"/>, the canonical
/// name for <see cref="SlotKind.Entity"/>.
/// </param>
/// <param name="RelativeTolerance">Numbers only: how far (relative to the expected value) an answer may be off.</param>
/// <param name="Aliases">Entities only: other accepted spellings of <paramref name="Expected"/>.</param>
/// <param name="Choices">Entities only: every candidate the question names, the expected one included.</param>
/// <param name="Cues">
/// Domain words of the slot: booleans read them as "yes" (e.g. "accurate"); entities look for a choice
/// linked to one ("Veloria is denser"); numbers prefer a value in the same clause as one. They also
/// work as keys of <c>key: value</c> lines.
/// </param>
/// <param name="QuestionValues">Numbers the question itself states (e.g. a claimed revenue); ignored when other candidates remain.</param>
/// <param name="Unit">
/// Informational ("people", "USD", "x", "%"). It never makes an answer wrong; when it names a form
/// (currency, percent, multiplier) and the answer has candidates of that form, those are preferred.
/// </param>
public sealed record AnswerSlot(
    string Name,
    SlotKind Kind,
    double Weight,
    object Expected,
    string Description,
    double RelativeTolerance = 0.02,
    IReadOnlyList<string>? Aliases = null,
    IReadOnlyList<string>? Choices = null,
    IReadOnlyList<string>? Cues = null,
    IReadOnlyList<double>? QuestionValues = null,
    string? Unit = null)
{
    internal double ExpectedNumber => Expected switch
    {
        double d => d,
        float or int or long or short or byte or decimal or uint or ulong or ushort or sbyte =>
            Convert.ToDouble(Expected, CultureInfo.InvariantCulture),
        _ => throw MismatchedExpected(),
    };

    internal DateOnly ExpectedDate => Expected is DateOnly date ? date : throw MismatchedExpected();

    internal bool ExpectedBoolean => Expected is bool value ? value : throw MismatchedExpected();

    internal string ExpectedEntity => Expected is string name ? name : throw MismatchedExpected();

    /// <summary>The expected value as the replay shows it (invariant culture).</summary>
    internal string ExpectedText => Kind switch
    {
        SlotKind.Number => ValueFormat.Number(ExpectedNumber),
        SlotKind.Date => ValueFormat.Date(ExpectedDate),
        SlotKind.Boolean => ValueFormat.Boolean(ExpectedBoolean),
        _ => ExpectedEntity,
    };

    // A key whose expected value does not match its kind is a bug in the suite, not an agent error.
    private ArgumentException MismatchedExpected() => new(
        $"Slot '{Name}' of kind {Kind} has an expected value of type {Expected?.GetType().Name ?? "null"}.",
        nameof(Expected));
}

/// <summary>Invariant renderings of extracted and expected values.</summary>
internal static class ValueFormat
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";
}
