using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Mast.Config;

/// <summary>The wire type of a <see cref="ConfigField"/>.</summary>
public enum ConfigFieldType
{
    WholeNumber,
    Number,
    Boolean,
    Choice,
}

/// <summary>
/// One scalar field of a <see cref="ResilienceConfig"/> as the wire shows it: its snake_case name,
/// type, default and the values it allows. The reader, the JSON Schema and the published list of
/// fields are all built from these, so they cannot disagree.
/// </summary>
/// <param name="Minimum">Integer and number fields: the smallest allowed value.</param>
/// <param name="Maximum">Integer and number fields: the largest allowed value.</param>
/// <param name="Off">A value below <paramref name="Minimum"/> that is also allowed and turns the mechanism off (the circuit breaker's 0).</param>
/// <param name="Values">Choice fields: the allowed words.</param>
public sealed record ConfigField(
    string Name,
    ConfigFieldType Type,
    JsonNode Default,
    string Description,
    double? Minimum = null,
    double? Maximum = null,
    double? Off = null,
    IReadOnlyList<string>? Values = null)
{
    /// <summary>What the field allows, in words: "an integer from 0 to 10", "one of: skip, summarize".</summary>
    public string Allowed => Type switch
    {
        ConfigFieldType.WholeNumber => $"an integer from {Number(Minimum)} to {Number(Maximum)}",
        ConfigFieldType.Number when Off is { } off => $"{Number(off)} (off) or a number from {Number(Minimum)} to {Number(Maximum)}",
        ConfigFieldType.Number => $"a number from {Number(Minimum)} to {Number(Maximum)}",
        ConfigFieldType.Boolean => "true or false",
        _ => "one of: " + string.Join(", ", Values ?? []),
    };

    internal static string Number(double? value) => (value ?? 0).ToString("0.###", CultureInfo.InvariantCulture);
}
