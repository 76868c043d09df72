using System.Text.Json;
using System.Text.RegularExpressions;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Core.Suites.Mast.Config;

/// <summary>One structured diagnosis: a failure mode from the published list and the component at fault.</summary>
/// <param name="FailureMode">A MAST code in its canonical form (<c>FM-1.3</c>).</param>
/// <param name="Component">The agent id named as at fault, or null.</param>
/// <param name="Explanation">Kept for the record; it earns nothing by itself.</param>
public sealed record Diagnosis(string? FailureMode, string? Component, string? Explanation);

/// <param name="Diagnoses">What can earn credit (at most <see cref="DiagnosisReader.MaxDiagnoses"/>).</param>
/// <param name="Errors">Why something given earns nothing, each as <c>diagnosis/pointer: reason</c>.</param>
public sealed record DiagnosisReading(IReadOnlyList<Diagnosis> Diagnoses, IReadOnlyList<string> Errors);

/// <summary>
/// Reads a diagnosis by its structure only: <c>{"failure_mode": "FM-1.3", "component":
/// "executor-1", "explanation": "..."}</c>, an array of up to three of those, or a string that is
/// exactly a code or a code and an agent id (<c>"FM-1.3 executor-1"</c>). Anything else (free
/// text, a list of every code, keywords) is no diagnosis: the seed's substring match paid for
/// keyword stuffing, this pays for naming one mode and one component.
/// </summary>
public static partial class DiagnosisReader
{
    public const int MaxDiagnoses = 3;
    public const int MaxExplanationLength = 2000;

    // Errors name the place inside the diagnosis ("diagnosis/0/failure_mode"): where the diagnosis
    // itself sits depends on the submission's shape.
    private const string Root = "diagnosis";

    private static readonly IReadOnlyList<string> FieldNames = ["failure_mode", "component", "explanation"];

    public static DiagnosisReading Read(JsonElement json)
    {
        var errors = new List<string>();
        var diagnoses = new List<Diagnosis>();
        switch (json.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            case JsonValueKind.String:
                ReadText(json.GetString()!, diagnoses, errors);
                break;
            case JsonValueKind.Object:
                if (ReadObject(json, Root, errors) is { } single)
                {
                    diagnoses.Add(single);
                }

                break;
            case JsonValueKind.Array when json.GetArrayLength() > MaxDiagnoses:
                errors.Add($"{Root}: at most {MaxDiagnoses} diagnoses (given {json.GetArrayLength()}); none is counted");
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in json.EnumerateArray())
                {
                    if (ReadObject(item, $"{Root}/{index++}", errors) is { } diagnosis)
                    {
                        diagnoses.Add(diagnosis);
                    }
                }

                break;
            default:
                errors.Add($"{Root}: a diagnosis is {{\"failure_mode\", \"component\", \"explanation\"}}, an array of up to {MaxDiagnoses} of them, or \"<code>\" / \"<code> <agent-id>\"");
                break;
        }

        return new(diagnoses, errors);
    }

    // Exactly "<code>" or "<code> <agent-id>": the seed's clients send a string, and one that
    // names a mode and an agent says as much as the structured form.
    private static void ReadText(string text, List<Diagnosis> diagnoses, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var match = CodeAndAgent().Match(text.Trim());
        if (match.Success && MastTaxonomy.Find(match.Groups["code"].Value) is { } mode)
        {
            diagnoses.Add(new Diagnosis(mode.Code, match.Groups["agent"].Success ? match.Groups["agent"].Value : null, null));
            return;
        }

        errors.Add($"{Root}: free text earns nothing; name a code (\"FM-1.3\"), a code and an agent id (\"FM-1.3 executor-1\"), or send {{\"failure_mode\", \"component\", \"explanation\"}}");
    }

    private static Diagnosis? ReadObject(JsonElement json, string path, List<string> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: a diagnosis is an object {{\"failure_mode\", \"component\", \"explanation\"}}");
            return null;
        }

        var count = errors.Count;
        string? code = null, component = null, explanation = null;
        foreach (var property in json.EnumerateObject())
        {
            var at = $"{path}/{property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
            var value = property.Value;
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
            switch (property.Name)
            {
                case "failure_mode":
                    code = text is not null && MastTaxonomy.Find(text) is { } mode && CodeOnly().IsMatch(text) ? mode.Code : null;
                    if (code is null)
                    {
                        errors.Add($"{at}: one code from the published list: {string.Join(", ", MastTaxonomy.All.Select(m => m.Code))}");
                    }

                    break;
                case "component":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    component = text is not null && AgentId().IsMatch(text) ? text : null;
                    if (component is null)
                    {
                        errors.Add($"{at}: one agent id as the pipeline names it (e.g. \"executor-1\")");
                    }

                    break;
                case "explanation":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    explanation = text;
                    if (text is null || text.Length > MaxExplanationLength)
                    {
                        errors.Add($"{at}: a string of at most {MaxExplanationLength} characters");
                    }

                    break;
                default:
                    errors.Add($"{at}: unknown field (fields: {string.Join(", ", FieldNames)})");
                    break;
            }
        }

        if (!json.TryGetProperty("failure_mode", out _))
        {
            errors.Add($"{path}/failure_mode: required");
        }

        return errors.Count == count ? new Diagnosis(code, component, explanation) : null;
    }

    [GeneratedRegex(@"^(?<code>[Ff][Mm]-?\d\.\d)(?: (?<agent>[a-z]+-\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeAndAgent();

    [GeneratedRegex(@"^[Ff][Mm]-?\d\.\d$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeOnly();

    [GeneratedRegex(@"^[a-z]+-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex AgentId();
}
