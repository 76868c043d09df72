// TEMPORARY: a minimal stand-in for the grading contract from the `grading` branch, written
// against its announced names so this branch builds and tests before it lands. Deleted at the
// merge of main (the real ChaosLab.Core.Grading replaces it).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Grading;

public enum SlotKind
{
    Number,
    Date,
    Boolean,
    Entity,
}

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
    IReadOnlyList<double>? QuestionValues = null);

public sealed record AnswerKey(IReadOnlyList<AnswerSlot> Slots)
{
    public string ToJson()
    {
        var slots = new JsonArray();
        foreach (var s in Slots)
        {
            slots.Add(new JsonObject
            {
                ["name"] = s.Name,
                ["kind"] = s.Kind.ToString().ToUpperInvariant(),
                ["weight"] = s.Weight,
                ["expected"] = Render(s.Expected),
                ["description"] = s.Description,
                ["relative_tolerance"] = s.RelativeTolerance,
            });
        }

        return new JsonObject { ["slots"] = slots }.ToJsonString();
    }

    internal static string Render(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };
}

public sealed record AnswerGrade(double Correctness, IReadOnlyList<SlotVerdict> Slots);

public static partial class AnswerGrader
{
    public static AnswerGrade Grade(AnswerKey key, string answer)
    {
        ArgumentNullException.ThrowIfNull(key);
        answer ??= "";
        JsonObject? json = null;
        if (answer.TrimStart().StartsWith('{'))
        {
            try
            {
                json = JsonNode.Parse(answer) as JsonObject;
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        var verdicts = new List<SlotVerdict>();
        double total = 0, credit = 0;
        foreach (var slot in key.Slots)
        {
            total += slot.Weight;
            var text = json is not null ? json[slot.Name]?.ToJsonString().Trim('"') ?? "" : answer;
            var (extracted, ambiguous) = Extract(slot, text);
            string verdict;
            if (ambiguous)
            {
                verdict = "ambiguous";
            }
            else if (extracted is null)
            {
                verdict = "missing";
            }
            else
            {
                verdict = Matches(slot, extracted) ? "correct" : "wrong";
            }

            var c = verdict == "correct" ? slot.Weight : 0;
            credit += c;
            verdicts.Add(new SlotVerdict(slot.Name, AnswerKey.Render(slot.Expected), extracted is null ? null : AnswerKey.Render(extracted), verdict, slot.Weight, c));
        }

        return new AnswerGrade(total <= 0 ? 0 : credit / total, verdicts);
    }

    private static bool Matches(AnswerSlot slot, object value) => slot.Expected switch
    {
        double e => value is double v && Math.Abs(v - e) <= Math.Abs(e) * slot.RelativeTolerance + 1e-9,
        _ => Equals(slot.Expected, value),
    };

    private static (object? Value, bool Ambiguous) Extract(AnswerSlot slot, string text)
    {
        switch (slot.Kind)
        {
            case SlotKind.Number:
                {
                    var values = NumberExtractor.Extract(text).Where(v => slot.QuestionValues is null || !slot.QuestionValues.Any(q => Math.Abs(q - v) < 1e-9)).Distinct().ToList();
                    return values.Count switch { 0 => (null, false), 1 => (values[0], false), _ => (null, true) };
                }

            case SlotKind.Date:
                {
                    var dates = DateRegex().Matches(text).Select(m => DateOnly.ParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture)).Distinct().ToList();
                    return dates.Count switch { 0 => (null, false), 1 => (dates[0], false), _ => (null, true) };
                }

            case SlotKind.Boolean:
                {
                    var lower = text.ToLowerInvariant();
                    var yes = YesRegex().IsMatch(lower);
                    var no = NoRegex().IsMatch(lower);
                    return (yes, no) switch { (true, false) => (true, false), (false, true) => (false, false), (true, true) => (null, true), _ => (null, false) };
                }

            default:
                {
                    var names = (slot.Choices ?? [(string)slot.Expected]).Concat(slot.Choices is null ? slot.Aliases ?? [] : []).ToList();
                    var found = names.Where(n => Regex.IsMatch(text, $@"\b{Regex.Escape(n)}\b", RegexOptions.IgnoreCase)).ToList();
                    if (slot.Choices is null)
                    {
                        return found.Count > 0 ? ((string)slot.Expected, false) : (null, false);
                    }

                    return found.Count switch { 0 => (null, false), 1 => (found[0], false), _ => (null, true) };
                }
        }
    }

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"\b(yes|true|accurate|correct)\b")]
    private static partial Regex YesRegex();

    [GeneratedRegex(@"\b(no|false|inaccurate|incorrect|not accurate)\b")]
    private static partial Regex NoRegex();
}

public static partial class NumberExtractor
{
    public static IReadOnlyList<double> Extract(string text)
    {
        var result = new List<double>();
        foreach (Match m in NumberRegex().Matches(text ?? ""))
        {
            if (!double.TryParse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                continue;
            }

            var scale = m.Groups[2].Value.ToLowerInvariant();
            v *= scale switch { "billion" or "bn" or "b" => 1e9, "million" or "m" => 1e6, "thousand" or "k" => 1e3, _ => 1 };
            result.Add(v);
        }

        return result;
    }

    [GeneratedRegex(@"(-?\d[\d,]*(?:\.\d+)?)\s*(billion|bn|million|thousand|b|m|k)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberRegex();
}
