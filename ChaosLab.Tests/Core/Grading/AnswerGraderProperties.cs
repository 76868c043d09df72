using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Grading;
using CsCheck;

namespace ChaosLab.Tests.Core.Grading;

/// <summary>
/// Property: one committed value per slot. An answer that offers the right value and one or more
/// other values for a slot, through the same channel (prose, <c>slot: value</c> lines or a JSON
/// value), in any order and any format the readers accept, never earns that slot's credit; the
/// right value alone, stated once or repeated in different formats, always does. Mixing channels
/// is left out on purpose: a structured value takes precedence over prose by design, as a cue-linked
/// choice takes precedence over a bare mention.
/// </summary>
public sealed class AnswerGraderProperties
{
    /// <summary>A value as an answer can state it.</summary>
    /// <param name="Forms">Prose renderings grouped by form; one answer uses one form for every value it offers.</param>
    /// <param name="Lines">Renderings after <c>slot:</c> in a key-value line.</param>
    private sealed record Value(string[][] Forms, string[] Lines, JsonNode Json)
    {
        public override string ToString() => Lines[0];
    }

    /// <summary>A slot under test: the key, the right value, distinct wrong values, how prose joins values.</summary>
    private sealed record SlotCase(AnswerKey Key, Value Right, Value[] Wrong, string[] Separators)
    {
        public string Slot => Key.Slots[0].Name;

        public override string ToString() => $"{Slot}={Right} wrong=[{string.Join(", ", Wrong.AsEnumerable())}]";
    }

    private enum Channel
    {
        Prose,
        Lines,
        Json,
    }

    private static readonly Gen<SlotCase> GenNumberCase =
        // Tenths of a million, at least 7% away from 12.3 million (the tolerance is 2%).
        from wrong in Gen.Int[10, 999].Where(m => Math.Abs(m - 123) > 8).HashSet[1, 4]
        select new SlotCase(GradingKeys.Population, Number(123), [.. wrong.Select(Number)], [" or ", "; ", ", ", "\n", ". "]);

    private static readonly Gen<SlotCase> GenDateCase =
        from offsets in Gen.Int[-400, 400].Where(d => d != 0).HashSet[1, 4]
        let founded = new DateOnly(2024, 3, 5)
        select new SlotCase(GradingKeys.Founded, Date(founded), [.. offsets.Select(d => Date(founded.AddDays(d)))], [" or ", "; ", "\n", ". "]);

    // "No" is a verdict only when it stands alone in its clause, so boolean values are whole sentences.
    private static readonly Gen<SlotCase> GenBooleanCase =
        from expected in Gen.Bool
        let key = new AnswerKey([new AnswerSlot("accurate", SlotKind.Boolean, 1.0, expected, "Is the claim accurate", Cues: ["accurate"])])
        select new SlotCase(key, Boolean(expected), [Boolean(!expected)], [" ", "\n"]);

    private static readonly string[] Countries = ["Veloria", "Ostmark", "Karvenia", "Lunaria", "Brennholt"];

    private static readonly AnswerKey DenserKey = new(
    [
        new AnswerSlot("denser", SlotKind.Entity, 1.0, "Veloria", "Which country is the densest", Aliases: ["Republic of Veloria"], Choices: Countries, Cues: ["denser"]),
    ]);

    private static readonly Gen<SlotCase> GenEntityCase =
        from wrong in Gen.OneOf(Countries[1..]).HashSet[1, 4]
        select new SlotCase(DenserKey, Entity("Veloria", "Republic of Veloria"), [.. wrong.Select(n => Entity(n))], [". ", "; ", "\n", " or ", ", "]);

    private static readonly Gen<SlotCase> GenCase = Gen.OneOf(GenNumberCase, GenDateCase, GenBooleanCase, GenEntityCase);

    [Fact]
    public void Grade_RightValuePlusOtherValuesForASlot_NeverCredited()
    {
        var gen =
            from slotCase in GenCase
            from offered in Gen.Shuffle(slotCase.Wrong.Prepend(slotCase.Right).ToArray())
            from answer in Render(slotCase, offered)
            select (slotCase, answer);

        gen.Sample((slotCase, answer) =>
        {
            var verdict = AnswerGrader.Grade(slotCase.Key, answer).Slots.Single();
            return verdict.Credit == 0 && verdict.Verdict == SlotReading.Ambiguous;
        }, print: t => $"{t.Item1}\n--- answer ---\n{t.Item2}\n--- verdict: {Describe(t.Item1, t.Item2)}");
    }

    [Fact]
    public void Grade_RightValueAloneInAnyAcceptedFormat_Credited()
    {
        var gen =
            from slotCase in GenCase
            from times in Gen.Int[1, 3]
            from answer in Render(slotCase, [.. Enumerable.Repeat(slotCase.Right, times)])
            select (slotCase, answer);

        gen.Sample((slotCase, answer) =>
        {
            var verdict = AnswerGrader.Grade(slotCase.Key, answer).Slots.Single();
            return verdict.Verdict == SlotReading.Correct && verdict.Credit == verdict.Weight;
        }, print: t => $"{t.Item1}\n--- answer ---\n{t.Item2}\n--- verdict: {Describe(t.Item1, t.Item2)}");
    }

    /// <summary>The offered values in one channel, each in a format drawn for it.</summary>
    private static Gen<string> Render(SlotCase slotCase, Value[] offered) =>
        from channel in Gen.Enum<Channel>()
        from form in Gen.Int[0, offered[0].Forms.Length - 1]
        from picks in Gen.Int[0, 3].Array[offered.Length]
        from separator in Gen.OneOf(slotCase.Separators)
        select channel switch
        {
            Channel.Prose => string.Join(separator, offered.Select((v, i) => Pick(v.Forms[form], picks[i]))) + ".",
            Channel.Lines => string.Join("\n", offered.Select((v, i) => $"{slotCase.Slot}: {Pick(v.Lines, picks[i])}")),
            _ => new JsonObject
            {
                [slotCase.Slot] = offered.Length == 1 ? offered[0].Json.DeepClone() : new JsonArray([.. offered.Select(v => v.Json.DeepClone())]),
            }.ToJsonString(),
        };

    private static string Pick(string[] renderings, int pick) => renderings[pick % renderings.Length];

    private static string Describe(SlotCase slotCase, string answer)
    {
        var verdict = AnswerGrader.Grade(slotCase.Key, answer).Slots.Single();
        return $"{verdict.Verdict} ({verdict.Observed}), credit {verdict.Credit}";
    }

    private static Value Number(int tenthsOfMillion)
    {
        var value = tenthsOfMillion * 100_000d;
        var millions = (tenthsOfMillion / 10d).ToString("0.0", CultureInfo.InvariantCulture);
        string[] renderings = [millions + " million", value.ToString("#,0", CultureInfo.InvariantCulture), millions + "M", value.ToString("0", CultureInfo.InvariantCulture)];
        return new Value([renderings], renderings, JsonValue.Create(value));
    }

    private static Value Date(DateOnly date)
    {
        string[] renderings =
        [
            date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture),
        ];
        return new Value([renderings], renderings, JsonValue.Create(renderings[0]));
    }

    private static Value Boolean(bool value) => value
        ? new Value([["Yes.", "True.", "The claim is accurate.", "Accurate."]], ["yes", "true", "accurate"], JsonValue.Create(true))
        : new Value([["No.", "False.", "The claim is inaccurate.", "It is not accurate."]], ["no", "false", "inaccurate"], JsonValue.Create(false));

    /// <summary>Two prose forms: bare mentions, and mentions linked to the cue (which take precedence over bare ones).</summary>
    private static Value Entity(string name, params string[] aliases)
    {
        string[] spellings = [name, .. aliases];
        string[] linked = [.. spellings.SelectMany(s => new[] { s + " is denser", "the denser one is " + s })];
        return new Value([spellings, linked], [.. spellings, name.ToLowerInvariant()], JsonValue.Create(name));
    }
}
