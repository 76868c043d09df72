using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// A submission as the grade reads it: the config under test and the diagnoses. Three shapes are
/// accepted: <c>{"config":{...},"diagnosis":...}</c>; the seed's flat <c>ResilienceConfig</c>
/// (its <c>diagnosis</c> field read as the diagnosis); and either as JSON text. Only the config
/// can make a submission invalid; a diagnosis that is not one (free text, too many) earns
/// nothing and says why in <see cref="DiagnosisNotes"/>.
/// </summary>
public sealed record MastSubmission(ResilienceConfig Config, IReadOnlyList<DiagnosisClaim> Diagnoses, IReadOnlyList<string> DiagnosisNotes)
{
    private const string ConfigField = "config";
    private const string DiagnosisField = "diagnosis";

    /// <param name="agents">The pipeline's agents: a role specification for any other is an error.</param>
    /// <returns>The submission, or every error found (each located by its JSON pointer).</returns>
    public static (MastSubmission? Submission, IReadOnlyList<string> Errors) Read(JsonNode answer, IReadOnlyCollection<PipelineAgent> agents)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer is JsonValue text && text.TryGetValue<string>(out var json))
        {
            try
            {
                answer = JsonNode.Parse(json) ?? answer;
            }
            catch (JsonException)
            {
                return (null, ["answer: a JSON object {\"config\":{...},\"diagnosis\":{...}} (or a flat ResilienceConfig), not free text"]);
            }
        }

        if (answer is not JsonObject submitted)
        {
            return (null, ["answer: must be an object {\"config\":{...},\"diagnosis\":{...}} or a flat ResilienceConfig"]);
        }

        // The structured shape nests the config; the seed's flat shape is the config, diagnosis included.
        var structured = submitted.ContainsKey(ConfigField);
        var errors = new List<string>();
        if (structured)
        {
            errors.AddRange(submitted.Select(p => p.Key).Where(k => k is not (ConfigField or DiagnosisField)).Select(k => $"/{k}: unknown field (an answer has config and diagnosis)"));
        }

        var configNode = structured ? submitted[ConfigField] : submitted;
        if (configNode is not JsonObject)
        {
            errors.Add("/config: must be an object");
            return (null, errors);
        }

        using var configDocument = JsonDocument.Parse(configNode.ToJsonString());
        var reading = ResilienceConfigReader.Read(configDocument.RootElement, agents);
        errors.AddRange(reading.Errors.Select(e => structured ? "/config" + e : e));
        if (errors.Count > 0 || reading.Config is null)
        {
            return (null, errors);
        }

        JsonElement? diagnosis = structured ? Element(submitted[DiagnosisField]) : reading.Diagnosis;
        var diagnoses = diagnosis is { } given ? DiagnosisReader.Read(given) : new DiagnosisReading([], []);
        return (new MastSubmission(reading.Config, [.. diagnoses.Diagnoses.Select(d => new DiagnosisClaim(d.FailureMode, d.Component))], diagnoses.Errors), []);
    }

    private static JsonElement? Element(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
